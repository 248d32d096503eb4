/**
 * The graphical console: what displays a VM has, a byte channel to its VNC server (the page
 * runs noVNC on it), and screenshots through libvirt (any display type).
 */
import { z } from 'zod'
import { method, service } from './define'

/** Where a display listens (formatdomain `<listen>`). */
export const GraphicsListen = z.object({
  /** address (TCP), network (TCP on a libvirt network's address), socket (unix), none. */
  type: z.enum(['address', 'network', 'socket', 'none']),
  /** The IP or host name for address and network listens (filled in for a running VM). */
  address: z.string().optional(),
  /** The libvirt network, for network listens. */
  network: z.string().optional(),
  /** The unix socket path, for socket listens. */
  socket: z.string().optional(),
})
/** Where a display listens. */
export type GraphicsListen = z.infer<typeof GraphicsListen>

/** One graphical display of a VM, from its live XML. */
export const GraphicsDevice = z.object({
  /** vnc, spice, rdp, sdl, egl-headless, dbus ... */
  type: z.string(),
  /** The TCP port in use (running VM) or fixed in the definition. */
  port: z.number().int().optional(),
  /** SPICE's TLS port. */
  tlsPort: z.number().int().optional(),
  /** The port is picked when the VM starts. */
  autoport: z.boolean(),
  listens: z.array(GraphicsListen),
  /** A password is set (its value never crosses to the page here). */
  hasPassword: z.boolean(),
})
/** One graphical display of a VM. */
export type GraphicsDevice = z.infer<typeof GraphicsDevice>

/**
 * Why the VNC console cannot open:
 * - `no-graphics`: the VM has no display at all (use the serial console);
 * - `spice-only`: SPICE but no VNC (use the serial console, or a SPICE client);
 * - `unsupported-graphics`: only other display types (sdl, egl-headless, dbus ...);
 * - `not-running`: the VM is not running, so nothing listens;
 * - `no-listener`: VNC listens nowhere the app can reach (`<listen type='none'>`);
 * - `remote-host`: the host is not this machine (remote VNC arrives with SSH hosts).
 */
export const VncProblem = z.enum([
  'no-graphics',
  'spice-only',
  'unsupported-graphics',
  'not-running',
  'no-listener',
  'remote-host',
])
/** Why the VNC console cannot open. */
export type VncProblem = z.infer<typeof VncProblem>

/** A VM's displays and whether the VNC console can open now. */
export const GraphicsDescription = z.object({
  /** The VM runs (ports and sockets are real). */
  active: z.boolean(),
  devices: z.array(GraphicsDevice),
  /** Absent when the VNC console can open. */
  vncProblem: VncProblem.optional(),
})
/** A VM's displays and whether the VNC console can open now. */
export type GraphicsDescription = z.infer<typeof GraphicsDescription>

/** A VNC connection waiting for the page: open the byte channel with the ticket. */
export const VncChannel = z.object({
  ticket: z.string(),
  /** The VNC password from the domain XML, for noVNC to answer the server with. */
  password: z.string().optional(),
  /** Where main connected, for the status line (`127.0.0.1:5900`, a socket path). */
  endpoint: z.string(),
})
/** A VNC connection waiting for the page. */
export type VncChannel = z.infer<typeof VncChannel>

/** Largest screenshot returned to the page (PNG bytes). */
export const SCREENSHOT_MAX_BYTES = 32 * 1024 * 1024

/** A screenshot as PNG: returned to the page, or saved by main to a file. */
export const GraphicsScreenshot = z.object({
  /** A file name to offer: `<vm>-<date>-<time>.png`. */
  fileName: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  /** PNG size in bytes. */
  size: z.number().int(),
  /** The PNG, base64, when no path was given. */
  pngBase64: z.string().optional(),
  /** Where main wrote it, when a path was given. */
  savedTo: z.string().optional(),
})
/** A screenshot as PNG. */
export type GraphicsScreenshot = z.infer<typeof GraphicsScreenshot>

const GraphicsRef = z.object({ hostId: z.string().min(1).max(64), uuid: z.guid() })

/** The graphical console of a VM. */
export const graphics = service('graphics', {
  /** The VM's displays from its live XML, and whether the VNC console can open. */
  describe: method(GraphicsRef, GraphicsDescription),
  /**
   * Connects to the VM's VNC server and returns a ticket for the byte channel that carries
   * it. Fails with a VncProblem code when there is nothing to connect to.
   */
  openVnc: method(GraphicsRef, VncChannel),
  /**
   * A screenshot through libvirt, as PNG. Without `path` the PNG comes back (base64); with
   * an absolute `path` ending in .png main writes it there (refusing to replace a file
   * unless `overwrite`, which a save dialog that already asked sets).
   */
  screenshot: method(
    GraphicsRef.extend({
      screen: z.number().int().min(0).max(15).optional(),
      path: z
        .string()
        .max(4096)
        .regex(/^(\/|[A-Za-z]:[\\/])[^\0]*\.png$/i, 'an absolute path ending in .png')
        .optional(),
      overwrite: z.boolean().optional(),
    }),
    GraphicsScreenshot,
  ),
})
