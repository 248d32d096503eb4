import { create } from 'zustand'
import type { VmStatsTick } from '@common/contract/vms'
import { emptyHistory, initialStatsState, type StatsState, type VmHistory } from './initial-state'

/** Actions of the stats store. */
export interface StatsActions {
  /** Folds one host's tick into the histories (called by subscriptions). */
  internal_applyTick(tick: VmStatsTick): void
}

/**
 * A silence longer than this many ticks (a lost connection, a stopped poller) starts a fresh
 * history, so a graph never draws a straight line across the gap. The tick is configurable,
 * so it is measured from the history itself; never less than {@link MIN_GAP_MS}.
 */
const MAX_GAP_TICKS = 3
const MIN_GAP_MS = 5_000

/** Whether a sample at `at` comes after a gap in the history. */
function afterGap(h: VmHistory, at: number): boolean {
  const last = h.at.last()
  if (last === undefined) return false
  const before = h.at.at(h.at.length - 2)
  if (before === undefined) return false // one sample: the tick is not known yet
  return at - last > Math.max(MIN_GAP_MS, MAX_GAP_TICKS * (last - before))
}

function clear(h: VmHistory): void {
  for (const ring of [
    h.at,
    h.cpu,
    h.memory,
    h.memoryUsedKiB,
    h.diskReadBps,
    h.diskWriteBps,
    h.netRxBps,
    h.netTxBps,
  ]) {
    ring.clear()
  }
}

/** The stats store: the last {@link HISTORY} ticks of every running VM's rates. */
export const useStatsStore = create<StatsState & StatsActions>()((set, get) => ({
  ...initialStatsState(),
  internal_applyTick({ hostId, at, vms }) {
    const { byVm, pool } = get()
    for (const s of vms) {
      let h = byVm.get(s.uuid)
      if (!h) {
        h = emptyHistory(hostId, s, pool)
        byVm.set(s.uuid, h)
      } else if (afterGap(h, at)) {
        clear(h)
      }
      h.last = s
      h.at.push(at)
      h.cpu.push(s.cpuPercent)
      h.memory.push(s.memoryKiB > 0 ? (100 * s.memoryUsedKiB) / s.memoryKiB : 0)
      h.memoryUsedKiB.push(s.memoryUsedKiB)
      h.diskReadBps.push(s.diskReadBps)
      h.diskWriteBps.push(s.diskWriteBps)
      h.netRxBps.push(s.netRxBps)
      h.netTxBps.push(s.netTxBps)
    }
    // A VM missing from its host's tick has stopped: its history ends there.
    for (const [uuid, h] of byVm) {
      if (h.hostId === hostId && h.at.last() !== at) {
        byVm.delete(uuid)
        h.release()
      }
    }
    set({ tick: get().tick + 1 })
  },
}))
