/**
 * Bulk domain statistics: one CONNECT_GET_ALL_DOMAIN_STATS call for every domain (or a
 * list of them), decoded into plain numbers per domain (see stats-types.ts for the shape
 * and stats-decode.ts for the decoder).
 *
 *   const stats = await getDomainStats(conn, { groups: DomainStatsTypes.CPU_TOTAL })
 *   for (const d of stats) console.log(d.name, d.state?.stateName, d.cpu?.time)
 */
import { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION } from '../protocol/generated/constants.gen'
import { encodeConnectGetAllDomainStatsArgs } from '../protocol/generated/remote-codecs.gen'
import type {
  ConnectGetAllDomainStatsArgs,
  NonnullDomain,
} from '../protocol/generated/remote-types.gen'
import { RemoteProcedure } from '../protocol/generated/remote-types.gen'
import type { CallOptions, RpcCaller } from '../rpc/caller'
import { domainStatsDecoder } from './stats-decode'
import type { DomainStats } from './stats-types'

/** Anything with an RPC engine: a {@link Connection}, or a test double. */
export interface HasRpc {
  readonly rpc: RpcCaller
}

/** Options of {@link getDomainStats}. */
export interface DomainStatsOptions extends CallOptions {
  /** Only these domains (their handles); default: every domain the filter flags select. */
  domains?: readonly NonnullDomain[]
  /**
   * DomainStatsTypes bits (STATE | CPU_TOTAL | BALLOON | VCPU | INTERFACE | BLOCK ...);
   * 0, the default, means every group the driver supports.
   */
  groups?: number
  /**
   * ConnectGetAllDomainStatsFlags: the filters (ACTIVE, RUNNING ...; only without
   * `domains`), NOWAIT (skip domains busy with a job), BACKING (backing chains in `block`),
   * ENFORCE_STATS (fail instead of leaving out a group the driver lacks).
   */
  flags?: number
  /** Also keep every key exactly as reported (`DomainStats.raw`). */
  raw?: boolean
}

const decodePlain = domainStatsDecoder(false)
const decodeRaw = domainStatsDecoder(true)

/**
 * Bulk statistics in one call. A domain that vanishes during the call is simply absent.
 * @throws VirtError (for instance VIR_ERR_NO_SUPPORT from a driver without bulk stats)
 */
export function getDomainStats(
  conn: HasRpc,
  options: DomainStatsOptions = {},
): Promise<DomainStats[]> {
  const args: ConnectGetAllDomainStatsArgs = {
    doms: options.domains ? [...options.domains] : [],
    stats: options.groups ?? 0,
    flags: options.flags ?? 0,
  }
  const callOptions: CallOptions = {}
  if (options.signal) callOptions.signal = options.signal
  if (options.timeoutMs !== undefined) callOptions.timeoutMs = options.timeoutMs
  return conn.rpc.call(
    REMOTE_PROGRAM,
    REMOTE_PROTOCOL_VERSION,
    RemoteProcedure.CONNECT_GET_ALL_DOMAIN_STATS,
    args,
    encodeConnectGetAllDomainStatsArgs,
    options.raw ? decodeRaw : decodePlain,
    callOptions,
  )
}
