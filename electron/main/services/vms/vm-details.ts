import {
  DomainXmlFlags,
  getAutostart,
  getDomainXml,
  isDomainPersistent,
  lookupDomain,
} from '@native'
import type { ServiceImpl } from '@common/contract/define'
import type { VmDetails, vmDetails } from '@common/contract/vm-details'
import { VmState } from '@common/contract/vms'
import type { ConnectionManager } from '../hosts/connection-manager'
import { parseDomainXml } from './domain-xml'
import { guestAddresses } from './guest-addresses'
import { HostNotConnectedError } from './vms-service'

type Conn = NonNullable<ReturnType<ConnectionManager['connection']>>

const STATES = new Set<string>(VmState.options)

/** libvirt's state name (RUNNING, SHUTOFF ...) as the contract's VmState. */
const vmStateOf = (stateName: string): VmState => {
  const name = stateName.toLowerCase()
  return (STATES.has(name) ? name : 'nostate') as VmState
}

/**
 * One VM's details: the live XML, state, persistence and autostart in one pipelined round
 * trip, then, for a running VM with NICs, the guest's addresses.
 */
export async function vmDetailsOf(
  conn: Conn,
  hostId: string,
  uuid: string,
  signal: AbortSignal,
): Promise<VmDetails> {
  const { handle } = await lookupDomain(conn, uuid, { signal })
  const [xml, state, persistent, autostart] = await Promise.all([
    getDomainXml(conn, handle, { signal }),
    conn.domainState(handle, { signal }),
    isDomainPersistent(conn, handle, { signal }),
    getAutostart(conn, handle, { signal }),
  ])
  const facts = parseDomainXml(xml)
  const vmState = vmStateOf(state.stateName)
  const active = vmState !== 'shutoff' && vmState !== 'crashed' && vmState !== 'nostate'
  if (active && facts.nics.length > 0) {
    const addresses = await guestAddresses(conn, handle, signal)
    for (const nic of facts.nics) nic.addresses = addresses.get(nic.mac) ?? []
  }
  return { ...facts, hostId, state: vmState, persistent, autostart }
}

/** Implements the vmDetails contract. */
export function createVmDetailsService(
  connections: ConnectionManager,
): ServiceImpl<typeof vmDetails.spec> {
  const connected = (hostId: string): Conn => {
    const conn = connections.connection(hostId)
    if (!conn) throw new HostNotConnectedError('The host is not connected.')
    return conn
  }
  return {
    async get({ hostId, uuid }, { signal }) {
      return vmDetailsOf(connected(hostId), hostId, uuid, signal)
    },
    async xml({ hostId, uuid, inactive }, { signal }) {
      const conn = connected(hostId)
      const { handle } = await lookupDomain(conn, uuid, { signal })
      // Never SECURE: the view must not show VNC/SPICE passwords.
      const flags = inactive ? DomainXmlFlags.INACTIVE : 0
      return getDomainXml(conn, handle, { flags, signal })
    },
  }
}
