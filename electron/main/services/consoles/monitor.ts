import { lookupDomain, type Connection } from '@native'

/** VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP (libvirt-qemu.h): the command is HMP, not QMP JSON. */
const QEMU_MONITOR_COMMAND_HMP = 1

/**
 * Runs one human monitor (HMP) command on a VM's QEMU through the qemu program
 * (QEMU_PROC_DOMAIN_MONITOR_COMMAND) and returns QEMU's answer as it printed it.
 * This bypasses libvirt: a command can change the VM without libvirt knowing.
 * @throws VirtError (no such domain, not running, QEMU's error), ConnectionLostError
 */
export async function monitorCommand(
  conn: Connection,
  uuid: string,
  command: string,
  signal?: AbortSignal,
): Promise<string> {
  const options = signal ? { signal } : undefined
  const { handle } = await lookupDomain(conn, uuid, options)
  const { result } = await conn.qemu.qemuDomainMonitorCommand(
    { dom: handle, cmd: command, flags: QEMU_MONITOR_COMMAND_HMP },
    options,
  )
  return result
}
