/**
 * Domains: lookup, the list with states, XML get / define / undefine, device attach and
 * detach. Thin wrappers over the generated calls; flags are the generated header-fact
 * objects (DomainXmlFlags, DomainUndefineFlags, DomainDeviceModifyFlags ...), OR-ed.
 * Lifecycle calls are in lifecycle.ts.
 */
import {
  ConnectGetAllDomainStatsFlags,
  DomainStatsTypes,
  ErrorNumber,
} from '../protocol/generated/flags.gen'
import type { NonnullDomain } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import { isNoDomain, isUnsupported, VirtError } from '../rpc/errors'
import type { DomainStateInfo, DomainSummary } from './connection'
import { formatUuid, parseUuid } from './format'
import type { HasRemote } from './host'
import { domainStateName } from './stats-decode'
import { getDomainStats, type HasRpc } from './stats'

/** Per-call options plus the call's flags (0 when left out). */
export interface FlagOptions extends CallOptions {
  flags?: number
}

/** A domain as listed, with its state. */
export interface DomainListing extends DomainSummary {
  state: DomainStateInfo
}

/** A NonnullDomain handle as a {@link DomainSummary}. */
export function domainSummary(handle: NonnullDomain): DomainSummary {
  return { name: handle.name, uuid: formatUuid(handle.uuid), id: handle.id, handle }
}

const UUID_TEXT = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i

/**
 * Finds a domain by UUID (text form) or name.
 * @throws VirtError VIR_ERR_NO_DOMAIN (see isNoDomain) when there is none
 */
export async function lookupDomain(
  conn: HasRemote,
  nameOrUuid: string,
  options?: CallOptions,
): Promise<DomainSummary> {
  if (UUID_TEXT.test(nameOrUuid)) {
    try {
      const r = await conn.remote.domainLookupByUuid({ uuid: parseUuid(nameOrUuid) }, options)
      return domainSummary(r.dom)
    } catch (err) {
      if (!isNoDomain(err)) throw err // a name can look like a UUID: try it as one
    }
  }
  return domainSummary((await conn.remote.domainLookupByName({ name: nameOrUuid }, options)).dom)
}

/** The list flags that are also bulk-stats filters (ACTIVE ... OTHER share their bits). */
const SHARED_FILTERS =
  ConnectGetAllDomainStatsFlags.ACTIVE |
  ConnectGetAllDomainStatsFlags.INACTIVE |
  ConnectGetAllDomainStatsFlags.PERSISTENT |
  ConnectGetAllDomainStatsFlags.TRANSIENT |
  ConnectGetAllDomainStatsFlags.RUNNING |
  ConnectGetAllDomainStatsFlags.PAUSED |
  ConnectGetAllDomainStatsFlags.SHUTOFF |
  ConnectGetAllDomainStatsFlags.OTHER

/**
 * Every domain with its state: CONNECT_LIST_ALL_DOMAINS and one bulk STATE call
 * (CONNECT_GET_ALL_DOMAIN_STATS), sent together, so it costs one round trip. A domain
 * the bulk call missed (defined in between) gets a DOMAIN_GET_STATE of its own; one that
 * vanished in between is left out. A driver without bulk stats gets one DOMAIN_GET_STATE
 * per domain, all pipelined.
 * @param flags a ConnectListAllDomainsFlags filter; 0 = all
 */
export async function listDomainsWithState(
  conn: HasRemote & HasRpc,
  flags = 0,
  options?: CallOptions,
): Promise<DomainListing[]> {
  const statsOptions = { ...options, groups: DomainStatsTypes.STATE, flags: flags & SHARED_FILTERS }
  const [list, stats] = await Promise.all([
    conn.remote.connectListAllDomains({ need_results: 1, flags }, options),
    getDomainStats(conn, statsOptions).catch((err: unknown) => {
      if (isUnsupported(err) || (err instanceof VirtError && err.code === ErrorNumber.NO_SUPPORT)) {
        return []
      }
      throw err
    }),
  ])
  const states = new Map<string, DomainStateInfo>()
  for (const s of stats) if (s.state) states.set(s.uuid, s.state)
  const out: (DomainListing | Promise<DomainListing | null>)[] = list.domains.map((handle) => {
    const summary = domainSummary(handle)
    const state = states.get(summary.uuid)
    return state ? { ...summary, state } : withOwnState(conn, summary, options)
  })
  const settled = await Promise.all(out)
  return settled.filter((d): d is DomainListing => d !== null)
}

async function withOwnState(
  conn: HasRemote,
  summary: DomainSummary,
  options: CallOptions | undefined,
): Promise<DomainListing | null> {
  try {
    const { state, reason } = await conn.remote.domainGetState(
      { dom: summary.handle, flags: 0 },
      options,
    )
    return { ...summary, state: { state, stateName: domainStateName(state), reason } }
  } catch (err) {
    if (isNoDomain(err)) return null
    throw err
  }
}

/**
 * The domain's XML (DOMAIN_GET_XML_DESC).
 * @param options.flags DomainXmlFlags: SECURE (include passwords), INACTIVE (the persistent
 *   definition rather than the live one), MIGRATABLE, UPDATE_CPU
 */
export async function getDomainXml(
  conn: HasRemote,
  dom: NonnullDomain,
  options: FlagOptions = {},
): Promise<string> {
  const r = await conn.remote.domainGetXmlDesc({ dom, flags: options.flags ?? 0 }, options)
  return r.xml
}

/**
 * Defines (or redefines) a persistent domain from XML (DOMAIN_DEFINE_XML_FLAGS).
 * @param options.flags DomainDefineFlags: VALIDATE (check against the schema)
 */
export async function defineDomain(
  conn: HasRemote,
  xml: string,
  options: FlagOptions = {},
): Promise<DomainSummary> {
  const r = await conn.remote.domainDefineXmlFlags({ xml, flags: options.flags ?? 0 }, options)
  return domainSummary(r.dom)
}

/**
 * Removes a domain's persistent definition (DOMAIN_UNDEFINE_FLAGS); a running domain
 * becomes transient.
 * @param options.flags DomainUndefineFlags: MANAGED_SAVE, SNAPSHOTS_METADATA,
 *   CHECKPOINTS_METADATA, NVRAM / KEEP_NVRAM, TPM / KEEP_TPM
 */
export async function undefineDomain(
  conn: HasRemote,
  dom: NonnullDomain,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.domainUndefineFlags({ dom, flags: options.flags ?? 0 }, options)
}

/**
 * Attaches a device from its XML (DOMAIN_ATTACH_DEVICE_FLAGS).
 * @param options.flags DomainDeviceModifyFlags: LIVE, CONFIG (both for both), 0 = CURRENT
 */
export async function attachDevice(
  conn: HasRemote,
  dom: NonnullDomain,
  xml: string,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.domainAttachDeviceFlags({ dom, xml, flags: options.flags ?? 0 }, options)
}

/**
 * Detaches the device the XML describes (DOMAIN_DETACH_DEVICE_FLAGS). With LIVE the guest
 * may still be releasing it when this returns (watch the device-removed event).
 * @param options.flags DomainDeviceModifyFlags: LIVE, CONFIG, 0 = CURRENT
 */
export async function detachDevice(
  conn: HasRemote,
  dom: NonnullDomain,
  xml: string,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.domainDetachDeviceFlags({ dom, xml, flags: options.flags ?? 0 }, options)
}

/**
 * Changes a device in place, e.g. the medium of a CD-ROM (DOMAIN_UPDATE_DEVICE_FLAGS).
 * @param options.flags DomainDeviceModifyFlags: LIVE, CONFIG, FORCE (eject a locked medium)
 */
export async function updateDevice(
  conn: HasRemote,
  dom: NonnullDomain,
  xml: string,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.domainUpdateDeviceFlags({ dom, xml, flags: options.flags ?? 0 }, options)
}

/** Whether the domain has a persistent definition (DOMAIN_IS_PERSISTENT). */
export async function isDomainPersistent(
  conn: HasRemote,
  dom: NonnullDomain,
  options?: CallOptions,
): Promise<boolean> {
  return (await conn.remote.domainIsPersistent({ dom }, options)).persistent !== 0
}

/** One guest interface as DOMAIN_INTERFACE_ADDRESSES reports it. */
export interface GuestInterface {
  /** The name: the guest's own (eth0) from the agent, the host tap (vnet0) otherwise. */
  name: string
  /** Lower-case MAC, null when the source does not know it. */
  mac: string | null
  addresses: { family: 'ipv4' | 'ipv6'; address: string; prefix: number }[]
}

/**
 * The addresses a running guest has (DOMAIN_INTERFACE_ADDRESSES).
 * @param source DomainInterfaceAddressesSource: LEASE (libvirt's DHCP leases), AGENT (the
 *   guest agent), ARP (the host's ARP table)
 * @throws VirtError when the source cannot answer (no agent, not running ...)
 */
export async function getInterfaceAddresses(
  conn: HasRemote,
  dom: NonnullDomain,
  source: number,
  options?: CallOptions,
): Promise<GuestInterface[]> {
  const r = await conn.remote.domainInterfaceAddresses({ dom, source, flags: 0 }, options)
  return r.ifaces.map((i) => ({
    name: i.name,
    mac: i.hwaddr === null ? null : i.hwaddr.toLowerCase(),
    // virIPAddrType: 0 IPv4, 1 IPv6.
    addresses: i.addrs.map((a) => ({
      family: a.type === 1 ? 'ipv6' : 'ipv4',
      address: a.addr,
      prefix: a.prefix,
    })),
  }))
}
