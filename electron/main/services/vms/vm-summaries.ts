import {
  ConnectListAllDomainsFlags,
  getDomainInfos,
  listDomainUuids,
  listDomainsWithState,
  type Connection,
  type DomainInfo,
  type DomainListing,
} from '@native'
import { VmState, type VmSummary } from '@common/contract/vms'

const STATES = new Set<string>(VmState.options)

/** Which domains a list filter selected, by UUID. */
export interface DomainFlags {
  autostart: ReadonlySet<string>
  persistent: ReadonlySet<string>
}

/** A native domain listing, its DOMAIN_GET_INFO and the filter lists as the UI's summary. */
export function toVmSummary(
  hostId: string,
  d: DomainListing,
  info: DomainInfo,
  flags: DomainFlags,
): VmSummary {
  const name = d.state.stateName.toLowerCase()
  const state = (STATES.has(name) ? name : 'nostate') as VmState
  return {
    hostId,
    uuid: d.uuid,
    name: d.name,
    state,
    id: d.id,
    vcpus: info.vcpus,
    memoryKiB: info.maxMemoryKiB,
    autostart: flags.autostart.has(d.uuid),
    persistent: flags.persistent.has(d.uuid),
  }
}

/**
 * Every VM of a host with the list's columns, in two round trips however many there are:
 * first the list with states (one list call + one bulk state call) together with the
 * AUTOSTART- and PERSISTENT-filtered lists, then one pipelined DOMAIN_GET_INFO per domain
 * for vCPUs and memory. A domain that vanished in between is left out (its undefine event
 * brings the next refresh anyway).
 */
export async function listVmSummaries(conn: Connection, hostId: string): Promise<VmSummary[]> {
  const [listing, autostart, persistent] = await Promise.all([
    listDomainsWithState(conn),
    listDomainUuids(conn, { flags: ConnectListAllDomainsFlags.AUTOSTART }),
    listDomainUuids(conn, { flags: ConnectListAllDomainsFlags.PERSISTENT }),
  ])
  const infos = await getDomainInfos(
    conn,
    listing.map((d) => d.handle),
  )
  const flags = { autostart, persistent }
  return listing.flatMap((d, i) => {
    const info = infos[i]
    return info ? [toVmSummary(hostId, d, info, flags)] : []
  })
}
