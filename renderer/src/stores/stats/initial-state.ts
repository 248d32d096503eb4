import type { VmStats } from '@common/contract/vms'
import { HistoryPool } from './history-pool'
import type { Ring } from './ring'

/** How many ticks of history each VM keeps (five minutes at the default 1 s tick). */
export const HISTORY = 300

/** How many of them a list row's sparkline shows (the last minute). */
export const SPARKLINE_SAMPLES = 60

/** One running VM's recent history: rings of equal length, reused between ticks. */
export interface VmHistory {
  hostId: string
  last: VmStats
  /** When each sample was taken (the tick's `at`), ms since the epoch. */
  at: Ring
  cpu: Ring
  /** Host memory used as a share of the guest's current memory, 0-100 (the sparkline). */
  memory: Ring
  memoryUsedKiB: Ring
  diskReadBps: Ring
  diskWriteBps: Ring
  netRxBps: Ring
  netTxBps: Ring
  /** Hands the rings' storage back to the pool (the VM stopped); they read empty after. */
  release(): void
}

/** An empty history with storage for {@link HISTORY} samples from `pool`. */
export function emptyHistory(hostId: string, last: VmStats, pool: HistoryPool): VmHistory {
  return { hostId, last, ...pool.take() }
}

/**
 * Live stats of running VMs. `byVm` is mutated in place on each tick (1,000 VMs a second
 * would otherwise mean thousands of new arrays a second); `tick` changes every time, so
 * subscribers re-read.
 */
export interface StatsState {
  byVm: Map<string, VmHistory>
  tick: number
  /** Where the histories' rings live. */
  pool: HistoryPool
}

/** No stats yet. */
export const initialStatsState = (): StatsState => ({
  byVm: new Map(),
  tick: 0,
  pool: new HistoryPool(HISTORY),
})
