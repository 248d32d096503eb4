/**
 * Plain-number shapes of the bulk domain statistics (CONNECT_GET_ALL_DOMAIN_STATS). Field
 * names follow libvirt's keys (libvirt-domain.c, virConnectGetAllDomainStats) in camelCase;
 * a field is absent when the daemon did not report it (a shut-off guest has no `rss`, a
 * driver may not know `user`/`system`). Units are libvirt's: times in nanoseconds, memory in
 * KiB, block and interface counters in bytes / requests / packets.
 */
import type { TypedParamScalar } from '../protocol/typed-params'
import type { NonnullDomain } from '../protocol/generated/remote-types.gen'

/** A stats value outside the groups modelled here (perf.*, iothread.*, dirtyrate.* ...). */
export type StatValue = number | boolean | string

/** The STATE group: virDomainState and its reason. */
export interface StateStats {
  /** virDomainState, see DomainState. */
  state: number
  /** RUNNING, SHUTOFF ... (`UNKNOWN(n)` for a value this client does not know). */
  stateName: string
  /** Why it is in that state; the meaning depends on `state`. */
  reason: number
}

/** The CPU_TOTAL group (`cpu.*`), nanoseconds. */
export interface CpuStats {
  time?: number
  user?: number
  system?: number
  /** Time spent polling in the host's haltpoll driver, successful / failed (QEMU, KVM). */
  haltpollSuccessTime?: number
  haltpollFailTime?: number
}

/** The BALLOON group (`balloon.*`), KiB except the fault and update counters. */
export interface BalloonStats {
  current?: number
  maximum?: number
  swapIn?: number
  swapOut?: number
  majorFault?: number
  minorFault?: number
  unused?: number
  available?: number
  usable?: number
  rss?: number
  /** Seconds since the epoch of the guest's last balloon report. */
  lastUpdate?: number
  diskCaches?: number
  hugetlbPgalloc?: number
  hugetlbPgfail?: number
}

/** One virtual CPU (`vcpu.<n>.*`). */
export interface VcpuEntry {
  /** virVcpuState: 0 offline, 1 running, 2 blocked. */
  state?: number
  time?: number
  wait?: number
  halted?: boolean
  delay?: number
}

/** The VCPU group (`vcpu.*`). */
export interface VcpuStats {
  current?: number
  maximum?: number
  /** Indexed by vCPU number. */
  vcpus: VcpuEntry[]
}

/** One network interface (`net.<n>.*`). */
export interface InterfaceStats {
  /** Host-side device name, e.g. vnet0. */
  name?: string
  rxBytes?: number
  rxPackets?: number
  rxErrors?: number
  rxDrop?: number
  txBytes?: number
  txPackets?: number
  txErrors?: number
  txDrop?: number
}

/** One disk, or one backing image with the BACKING flag (`block.<n>.*`). */
export interface BlockStats {
  /** Target name, e.g. vda. */
  name?: string
  /** Source path, when the disk has one. */
  path?: string
  backingIndex?: number
  rdReqs?: number
  rdBytes?: number
  rdTimes?: number
  wrReqs?: number
  wrBytes?: number
  wrTimes?: number
  flReqs?: number
  flTimes?: number
  errors?: number
  allocation?: number
  capacity?: number
  physical?: number
  threshold?: number
}

/** The statistics of one domain. */
export interface DomainStats {
  name: string
  /** Text form of the UUID, the stable key of a domain. */
  uuid: string
  /** -1 when inactive. */
  id: number
  /** The handle to pass to domain calls. */
  handle: NonnullDomain
  state?: StateStats
  cpu?: CpuStats
  balloon?: BalloonStats
  vcpu?: VcpuStats
  interfaces?: InterfaceStats[]
  block?: BlockStats[]
  /** Every reported key not modelled above, with its value (absent when there is none). */
  other?: Record<string, StatValue>
  /**
   * Every key exactly as reported, only when asked for (`raw: true`): 64-bit values are
   * numbers when safe integers, else bigint (see typed-params.ts).
   */
  raw?: Record<string, TypedParamScalar>
}
