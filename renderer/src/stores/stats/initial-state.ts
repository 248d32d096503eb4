import type { VmStats } from '@common/contract/vms'

/** How many ticks of history each VM keeps (a minute at the default 1 s tick). */
export const HISTORY = 60

/** One VM's recent history. Arrays are rings reused between ticks (see store.ts). */
export interface VmHistory {
  last: VmStats
  cpu: number[]
  memory: number[]
}

/**
 * Live stats. `byVm` is mutated in place on each tick (1,000 VMs a second would otherwise
 * mean 1,000 new arrays a second); `tick` changes every time, so subscribers re-read.
 */
export interface StatsState {
  byVm: Map<string, VmHistory>
  tick: number
}

/** No stats yet. */
export const initialStatsState = (): StatsState => ({ byVm: new Map(), tick: 0 })
