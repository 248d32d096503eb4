import { describe, expect, it } from 'vitest'
import type { VmStats } from '@common/contract/vms'
import { HISTORY } from './initial-state'
import { useStatsStore } from './store'

const sample = (uuid: string, cpuPercent: number): VmStats => ({
  uuid,
  cpuPercent,
  vcpus: 1,
  memoryKiB: 1000,
  memoryUsedKiB: 250,
  diskReadBps: 0,
  diskWriteBps: 0,
  netRxBps: 0,
  netTxBps: 0,
})

describe('stats store', () => {
  it('keeps a bounded history per VM and bumps the tick', () => {
    const { internal_applyTick } = useStatsStore.getState()
    for (let i = 0; i < HISTORY + 10; i++) {
      internal_applyTick({ hostId: 'h', at: i, vms: [sample('a', i)] })
    }
    const a = useStatsStore.getState().byVm.get('a')!
    expect(a.cpu).toHaveLength(HISTORY)
    expect(a.cpu.at(-1)).toBe(HISTORY + 9)
    expect(a.memory.at(-1)).toBe(25)
    expect(useStatsStore.getState().tick).toBe(HISTORY + 10)
  })
})
