import { getDomainXml, lookupDomain, type Connection } from '@native'
import type { consoles } from '@common/contract/consoles'
import type { ServiceImpl } from '@common/contract/define'
import type { ConnectionManager } from '../hosts/connection-manager'
import { HostNotConnectedError } from '../vms/vms-service'
import { monitorCommand } from './monitor'
import type { SerialConsoles } from './serial-console'
import { serialDevicesOf } from './serial-devices'

/** Implements the consoles contract: serial consoles through `serial`, the QEMU monitor. */
export function createConsolesService(
  connections: ConnectionManager,
  serial: SerialConsoles,
): ServiceImpl<typeof consoles.spec> {
  const connected = (hostId: string): Connection => {
    const conn = connections.connection(hostId)
    if (!conn) throw new HostNotConnectedError('The host is not connected.')
    return conn
  }
  return {
    async serialDevices({ hostId, uuid }, { signal }) {
      const conn = connected(hostId)
      const dom = await lookupDomain(conn, uuid, { signal })
      const xml = await getDomainXml(conn, dom.handle, { signal })
      return serialDevicesOf(xml, dom.id !== -1)
    },
    async openSerial({ hostId, uuid, device, force }, { signal }) {
      const ticket = await serial.open(connected(hostId), { uuid, device, force, signal })
      return { ticket }
    },
    async monitor({ hostId, uuid, command }, { signal }) {
      return monitorCommand(connected(hostId), uuid, command, signal)
    },
  }
}
