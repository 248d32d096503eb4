import { z } from 'zod'
import { ChannelTicket } from '../ipc/byte-channel'
import { method, service } from './define'

const VmRef = z.object({ hostId: z.string().min(1).max(64), uuid: z.guid() })

/** A character device's alias as libvirt names it in the live XML (serial0, console1). */
export const ConsoleAlias = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'not a device alias')

/** Why libvirt cannot open a device as a console stream. */
export const SerialUnavailable = z.enum([
  /** The VM is not running: a console exists only while QEMU does. */
  'not-running',
  /** Not a pty (a file, a TCP or unix socket ...): libvirt streams only pty devices. */
  'not-pty',
])
/** Why libvirt cannot open a device as a console stream. */
export type SerialUnavailable = z.infer<typeof SerialUnavailable>

/** A serial port or console of a VM, from its live XML. */
export const SerialDevice = z.object({
  /** libvirt's alias (serial0, console1); absent while the VM is not running. */
  alias: ConsoleAlias.optional(),
  kind: z.enum(['serial', 'console']),
  /** The host side: pty, file, tcp, unix, null ... */
  type: z.string(),
  /** isa-serial, serial, virtio, sclp ... */
  targetType: z.string().optional(),
  port: z.number().int().optional(),
  /** Whether libvirt can open it now (a pty of a running VM). */
  openable: z.boolean(),
  /** Why not, when it cannot. */
  unavailable: SerialUnavailable.optional(),
})
/** A serial port or console of a VM. */
export type SerialDevice = z.infer<typeof SerialDevice>

/** The longest HMP command the monitor tab sends. */
export const MONITOR_COMMAND_MAX = 1024

/** An HMP command line: trimmed, non-empty, one line, no control characters. */
export const MonitorCommand = z
  .string()
  .trim()
  .min(1, 'the command is empty')
  .max(MONITOR_COMMAND_MAX, `the command is longer than ${MONITOR_COMMAND_MAX} characters`)
  .refine(
    (s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
    'the command has control characters (one line only)',
  )

/** `code` of the error openSerial fails with when another client holds the console. */
export const CONSOLE_BUSY = 'console-busy'

/**
 * Close reasons main gives a serial console channel for the usual endings, so that the page
 * can say them in its language; any other reason is libvirt's own text.
 */
export const SerialCloseReason = {
  /** The stream ended: the VM shut down, restarted or closed its console. */
  vmClosed: 'vm-closed',
  /** The host's libvirt connection was lost. */
  connectionLost: 'connection-lost',
  /** The app is closing or the service went away. */
  shutdown: 'shutdown',
} as const

/** Consoles of a VM: the serial console as a byte channel, and the QEMU monitor. */
export const consoles = service('consoles', {
  /** The VM's serial ports and consoles from its live XML, and which ones can be opened. */
  serialDevices: method(VmRef, z.array(SerialDevice)),
  /**
   * Opens a serial console (the VM's first one without `device`) and returns the ticket of
   * its byte channel. Without `force` it refuses while another client holds the console
   * (error code {@link CONSOLE_BUSY}); with `force` it takes the console over.
   */
  openSerial: method(
    VmRef.extend({ device: ConsoleAlias.optional(), force: z.boolean().optional() }),
    z.object({ ticket: ChannelTicket }),
  ),
  /** Runs one HMP command on the VM's QEMU monitor and returns its output. */
  monitor: method(VmRef.extend({ command: MonitorCommand }), z.string()),
})
