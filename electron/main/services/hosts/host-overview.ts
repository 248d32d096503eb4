import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import {
  getCapabilities,
  getHostSummary,
  parseLibvirtUri,
  planConnection,
  type Connection,
} from '@native'
import type { HostOverview } from '@common/contract/hosts'
import { summarizeCapabilities } from './capabilities'

/**
 * Monolithic libvirtd or modular daemons, from the local socket the URI reaches: a
 * virtqemud socket, or libvirt-sock beside one (virtproxyd in front), means modular.
 */
export function daemonModeOf(uri: string): HostOverview['daemonMode'] {
  const plan = planConnection(uri)
  if (plan.transport !== 'unix') return 'unknown'
  const socket = plan.socketPath
  if (basename(socket).startsWith('virtqemud')) return 'modular'
  return existsSync(join(dirname(socket), 'virtqemud-sock')) ? 'modular' : 'monolithic'
}

/** Gathers the host page's facts: one pipelined round trip plus the capabilities XML. */
export async function hostOverview(
  conn: Connection,
  uri: string,
  signal: AbortSignal,
): Promise<HostOverview> {
  const [summary, capsXml] = await Promise.all([
    getHostSummary(conn, { signal }),
    getCapabilities(conn, { signal }),
  ])
  const caps = summarizeCapabilities(capsXml)
  const { scope } = parseLibvirtUri(uri)
  return {
    hostname: summary.hostname,
    libVersion: summary.libVersion,
    hypervisor: summary.hypervisorType,
    hypervisorVersion: summary.hypervisorVersion,
    arch: caps.arch || summary.info.model,
    cpuModel: caps.cpuModel,
    ...(caps.cpuVendor && { cpuVendor: caps.cpuVendor }),
    cpus: summary.info.cpus,
    sockets: summary.info.sockets * summary.info.nodes,
    cores: summary.info.cores,
    threads: summary.info.threads,
    memoryKiB: summary.info.memoryKiB,
    hugepages: caps.hugepages,
    kvm: caps.kvm,
    securityDrivers: caps.securityDrivers,
    daemonMode: daemonModeOf(uri),
    ...(scope && { scope }),
  }
}
