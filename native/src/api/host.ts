/**
 * The host behind a connection: hardware summary (NODE_GET_INFO), names and versions,
 * capabilities XML. Thin wrappers over the generated calls; {@link getHostSummary} issues
 * its calls together (pipelined), so it costs one round trip.
 */
import type { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import type { CallOptions } from '../rpc/caller'
import { formatVersion } from './format'

/** Anything with the generated remote calls: a {@link Connection}, or a test double. */
export interface HasRemote {
  readonly remote: RemoteCalls
}

/** NODE_GET_INFO in plain numbers. */
export interface HostInfo {
  /** CPU model / architecture string, e.g. x86_64. */
  model: string
  /** Memory size in KiB. */
  memoryKiB: number
  /** Number of active CPUs. */
  cpus: number
  /** Expected CPU frequency in MHz (0 when unknown). */
  mhz: number
  /** NUMA nodes (1 for uniform memory access). */
  nodes: number
  /** CPU sockets per node. */
  sockets: number
  /** Cores per socket. */
  cores: number
  /** Threads per core. */
  threads: number
}

/** What a host page shows: {@link HostInfo} plus names and versions. */
export interface HostSummary {
  info: HostInfo
  hostname: string
  /** The daemon's libvirt version, e.g. "9.0.0". */
  libVersion: string
  /** The driver name, e.g. QEMU, TEST. */
  hypervisorType: string
  /** The hypervisor's version, e.g. "7.2.22" (QEMU); "0.0.0" when the driver has none. */
  hypervisorVersion: string
  /** The connection's URI as the daemon sees it, e.g. qemu:///system. */
  uri: string
}

/** NODE_GET_INFO: CPU model, memory, CPU topology. */
export async function getHostInfo(conn: HasRemote, options?: CallOptions): Promise<HostInfo> {
  const r = await conn.remote.nodeGetInfo(options)
  // model is a char[32] sent as one int per character, NUL-terminated.
  let end = r.model.indexOf(0)
  if (end < 0) end = r.model.length
  const model = String.fromCharCode(...r.model.slice(0, end).map((c) => c & 0xff))
  return {
    model,
    memoryKiB: Number(r.memory),
    cpus: r.cpus,
    mhz: r.mhz,
    nodes: r.nodes,
    sockets: r.sockets,
    cores: r.cores,
    threads: r.threads,
  }
}

/** The hypervisor's version as text (CONNECT_GET_VERSION), e.g. "7.2.22". */
export async function getHypervisorVersion(
  conn: HasRemote,
  options?: CallOptions,
): Promise<string> {
  return formatVersion((await conn.remote.connectGetVersion(options)).hv_ver)
}

/** The host's capabilities XML (CONNECT_GET_CAPABILITIES). */
export async function getCapabilities(conn: HasRemote, options?: CallOptions): Promise<string> {
  return (await conn.remote.connectGetCapabilities(options)).capabilities
}

/** Host info, host name, versions, driver and URI in one round trip. */
export async function getHostSummary(conn: HasRemote, options?: CallOptions): Promise<HostSummary> {
  const { remote } = conn
  const [info, hostname, lib, type, hv, uri] = await Promise.all([
    getHostInfo(conn, options),
    remote.connectGetHostname(options),
    remote.connectGetLibVersion(options),
    remote.connectGetType(options),
    remote.connectGetVersion(options),
    remote.connectGetUri(options),
  ])
  return {
    info,
    hostname: hostname.hostname,
    libVersion: formatVersion(lib.lib_ver),
    hypervisorType: type.type,
    hypervisorVersion: formatVersion(hv.hv_ver),
    uri: uri.uri,
  }
}
