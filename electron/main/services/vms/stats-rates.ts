import type { DomainStats } from '@native'
import type { VmStats } from '@common/contract/vms'

/** The counters a rate is computed from, kept between ticks. */
export interface Counters {
  at: number
  cpuNs: number
  rd: number
  wr: number
  rx: number
  tx: number
}

const sum = <T>(items: T[] | undefined, pick: (item: T) => number | undefined) =>
  (items ?? []).reduce((n, item) => n + (pick(item) ?? 0), 0)

/** Reads the cumulative counters of one domain's bulk stats. */
export function countersOf(stats: DomainStats, at: number): Counters {
  return {
    at,
    cpuNs: stats.cpu?.time ?? 0,
    rd: sum(stats.block, (b) => b.rdBytes),
    wr: sum(stats.block, (b) => b.wrBytes),
    rx: sum(stats.interfaces, (i) => i.rxBytes),
    tx: sum(stats.interfaces, (i) => i.txBytes),
  }
}

/**
 * Rates between two readings of the same domain. Without a previous reading (first tick,
 * or the VM just started) rates are 0; a counter that went backwards (VM restarted) also
 * reads as 0 rather than a negative rate.
 */
export function ratesOf(stats: DomainStats, now: Counters, before: Counters | undefined): VmStats {
  const seconds = before ? (now.at - before.at) / 1000 : 0
  const rate = (a: number, b: number | undefined) =>
    seconds > 0 && b !== undefined && a >= b ? (a - b) / seconds : 0
  const vcpus = stats.vcpu?.current ?? stats.vcpu?.vcpus.length ?? 1
  const cpuPerSecond = rate(now.cpuNs, before?.cpuNs)
  return {
    uuid: stats.uuid,
    cpuPercent: Math.min(100, (cpuPerSecond / 1e9 / Math.max(1, vcpus)) * 100),
    vcpus,
    memoryKiB: stats.balloon?.current ?? 0,
    memoryUsedKiB: stats.balloon?.rss ?? 0,
    diskReadBps: rate(now.rd, before?.rd),
    diskWriteBps: rate(now.wr, before?.wr),
    netRxBps: rate(now.rx, before?.rx),
    netTxBps: rate(now.tx, before?.tx),
  }
}
