import { create } from 'zustand'
import type { VmStatsTick } from '@common/contract/vms'
import { HISTORY, initialStatsState, type StatsState } from './initial-state'

/** Actions of the stats store. */
export interface StatsActions {
  /** Folds one host's tick into the histories (called by subscriptions). */
  internal_applyTick(tick: VmStatsTick): void
}

function push(ring: number[], value: number): void {
  ring.push(value)
  if (ring.length > HISTORY) ring.shift()
}

/** The stats store: the last minute of CPU and memory per running VM. */
export const useStatsStore = create<StatsState & StatsActions>()((set, get) => ({
  ...initialStatsState(),
  internal_applyTick({ vms }) {
    const { byVm } = get()
    for (const s of vms) {
      const history = byVm.get(s.uuid)
      const memPercent = s.memoryKiB > 0 ? (100 * s.memoryUsedKiB) / s.memoryKiB : 0
      if (history) {
        history.last = s
        push(history.cpu, s.cpuPercent)
        push(history.memory, memPercent)
      } else {
        byVm.set(s.uuid, { last: s, cpu: [s.cpuPercent], memory: [memPercent] })
      }
    }
    set({ tick: get().tick + 1 })
  },
}))
