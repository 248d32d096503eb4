/**
 * Per-domain facts a VM list shows beside the state: vCPUs and memory (DOMAIN_GET_INFO, for
 * many domains at once, pipelined), which domains a list filter selects (autostart,
 * persistent ...) and how many snapshots a domain has.
 */
import type { NonnullDomain } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import { isNoDomain } from '../rpc/errors'
import { formatUuid } from './format'
import type { FlagOptions } from './domains'
import type { HasRemote } from './host'
import { domainStateName } from './stats-decode'

/** DOMAIN_GET_INFO in plain numbers. */
export interface DomainInfo {
  /** virDomainState, see DomainState. */
  state: number
  /** Its name: RUNNING, SHUTOFF ... */
  stateName: string
  /** The most memory the guest may have (the configured size), KiB. */
  maxMemoryKiB: number
  /** Memory the guest has now (balloon current for a running one), KiB. */
  memoryKiB: number
  /** Virtual CPUs in use (the configured count for a shut-off domain). */
  vcpus: number
  /** CPU time used, ns. */
  cpuTimeNs: bigint
}

/**
 * One domain's state, memory and vCPUs (DOMAIN_GET_INFO).
 * @throws VirtError VIR_ERR_NO_DOMAIN (see isNoDomain) when it is gone
 */
export async function getDomainInfo(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<DomainInfo> {
  const r = await conn.remote.domainGetInfo({ dom }, options)
  return {
    state: r.state,
    stateName: domainStateName(r.state),
    maxMemoryKiB: Number(r.maxMem),
    memoryKiB: Number(r.memory),
    vcpus: r.nrVirtCpu,
    cpuTimeNs: r.cpuTime,
  }
}

/**
 * DOMAIN_GET_INFO for many domains, all sent at once (the RPC client pipelines them, so a
 * thousand cost about one round trip plus the daemon's work). A domain that vanished in
 * between gets `null`; any other failure rejects.
 * @returns one entry per handle, in the same order
 */
export async function getDomainInfos(
  conn: HasRemote,
  doms: readonly NonnullDomain[],
  options?: CallOptions,
): Promise<(DomainInfo | null)[]> {
  return Promise.all(
    doms.map((dom) =>
      getDomainInfo(conn, dom, options).catch((err: unknown) => {
        if (isNoDomain(err)) return null
        throw err
      }),
    ),
  )
}

/**
 * The UUIDs (text form) of the domains a CONNECT_LIST_ALL_DOMAINS filter selects: one call,
 * e.g. every domain that starts with the host.
 * @param options.flags ConnectListAllDomainsFlags, OR-ed (AUTOSTART, PERSISTENT,
 *   HAS_SNAPSHOT ...); 0 = all
 */
export async function listDomainUuids(
  conn: HasRemote,
  options: FlagOptions = {},
): Promise<Set<string>> {
  const r = await conn.remote.connectListAllDomains(
    { need_results: 1, flags: options.flags ?? 0 },
    options,
  )
  return new Set(r.domains.map((d) => formatUuid(d.uuid)))
}

/**
 * How many snapshots the domain has (DOMAIN_SNAPSHOT_NUM).
 * @param options.flags DomainSnapshotListFlags (ROOTS, METADATA ...); 0 = all
 */
export async function countSnapshots(
  conn: HasRemote,
  dom: NonnullDomain,
  options: FlagOptions = {},
): Promise<number> {
  return (await conn.remote.domainSnapshotNum({ dom, flags: options.flags ?? 0 }, options)).num
}

/** Whether a domain runs and whether it has a persistent definition. */
export interface DomainKind {
  /** Running or paused (DOMAIN_IS_ACTIVE). */
  active: boolean
  /** Defined, not transient (DOMAIN_IS_PERSISTENT). */
  persistent: boolean
}

/** DOMAIN_IS_ACTIVE and DOMAIN_IS_PERSISTENT, sent together. */
export async function getDomainKind(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<DomainKind> {
  const [active, persistent] = await Promise.all([
    conn.remote.domainIsActive({ dom }, options),
    conn.remote.domainIsPersistent({ dom }, options),
  ])
  return { active: active.active !== 0, persistent: persistent.persistent !== 0 }
}
