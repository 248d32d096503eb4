import type { VmStats } from '@common/contract/vms'
import { Ring } from './ring'

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
}

/** An empty history with storage for {@link HISTORY} samples. */
export function emptyHistory(hostId: string, last: VmStats): VmHistory {
  const ring = () => new Ring(HISTORY)
  return {
    hostId,
    last,
    at: new Ring(HISTORY, true),
    cpu: ring(),
    memory: ring(),
    memoryUsedKiB: ring(),
    diskReadBps: ring(),
    diskWriteBps: ring(),
    netRxBps: ring(),
    netTxBps: ring(),
  }
}

/**
 * Live stats of running VMs. `byVm` is mutated in place on each tick (1,000 VMs a second
 * would otherwise mean thousands of new arrays a second); `tick` changes every time, so
 * subscribers re-read.
 */
export interface StatsState {
  byVm: Map<string, VmHistory>
  tick: number
}

/** No stats yet. */
export const initialStatsState = (): StatsState => ({ byVm: new Map(), tick: 0 })
