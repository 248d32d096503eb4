import { beforeEach, describe, expect, it } from 'vitest'
import type { VmStats } from '@common/contract/vms'
import { HISTORY, initialStatsState } from './initial-state'
import { useStatsStore } from './store'

const sample = (uuid: string, cpuPercent: number): VmStats => ({
  uuid,
  cpuPercent,
  vcpus: 1,
  memoryKiB: 1000,
  memoryUsedKiB: 250,
  diskReadBps: 10 * cpuPercent,
  diskWriteBps: 20 * cpuPercent,
  netRxBps: 30 * cpuPercent,
  netTxBps: 40 * cpuPercent,
})

const apply = (hostId: string, at: number, ...vms: VmStats[]) =>
  useStatsStore.getState().internal_applyTick({ hostId, at, vms })

beforeEach(() => useStatsStore.setState(initialStatsState()))

describe('stats store', () => {
  it('keeps five minutes of every rate per VM, oldest first, and bumps the tick', () => {
    for (let i = 0; i < HISTORY + 10; i++) apply('h', i * 1000, sample('a', i))
    const a = useStatsStore.getState().byVm.get('a')!
    expect(HISTORY).toBe(300)
    expect(a.cpu.length).toBe(HISTORY)
    expect(a.cpu.at(0)).toBe(10)
    expect(a.cpu.last()).toBe(HISTORY + 9)
    expect(a.at.last()).toBe((HISTORY + 9) * 1000)
    expect(a.memory.last()).toBe(25)
    expect(a.memoryUsedKiB.last()).toBe(250)
    expect(a.diskReadBps.last()).toBe(10 * (HISTORY + 9))
    expect(a.diskWriteBps.last()).toBe(20 * (HISTORY + 9))
    expect(a.netRxBps.last()).toBe(30 * (HISTORY + 9))
    expect(a.netTxBps.last()).toBe(40 * (HISTORY + 9))
    expect(a.cpu.toArray(3)).toEqual([HISTORY + 7, HISTORY + 8, HISTORY + 9])
    expect(useStatsStore.getState().tick).toBe(HISTORY + 10)
  })

  it('reuses each VM’s storage from tick to tick', () => {
    apply('h', 0, sample('a', 1))
    const before = useStatsStore.getState().byVm.get('a')!
    const ring = before.cpu
    for (let i = 1; i < 1000; i++) apply('h', i * 1000, sample('a', i % 100))
    const after = useStatsStore.getState().byVm.get('a')!
    expect(after).toBe(before)
    expect(after.cpu).toBe(ring)
  })

  it('drops a VM that stopped from its host’s ticks, and leaves other hosts alone', () => {
    apply('h1', 1000, sample('a', 1), sample('b', 2))
    apply('h2', 1000, sample('c', 3))
    apply('h1', 2000, sample('a', 1))
    const { byVm } = useStatsStore.getState()
    expect([...byVm.keys()].sort()).toEqual(['a', 'c'])
  })

  it('starts a fresh history after a gap, so graphs do not bridge it', () => {
    apply('h', 1000, sample('a', 1))
    apply('h', 2000, sample('a', 2))
    apply('h', 60_000, sample('a', 3))
    expect(useStatsStore.getState().byVm.get('a')!.cpu.toArray()).toEqual([3])
  })
})

describe('stats store with a slower tick', () => {
  it('keeps the history at a 10 s tick, and still breaks it after three missed ticks', () => {
    useStatsStore.setState(initialStatsState())
    for (let i = 1; i <= 5; i++) apply('h', i * 10_000, sample('a', i))
    expect(useStatsStore.getState().byVm.get('a')!.cpu.toArray()).toEqual([1, 2, 3, 4, 5])
    apply('h', 90_000, sample('a', 9))
    expect(useStatsStore.getState().byVm.get('a')!.cpu.toArray()).toEqual([9])
  })
})

describe('stats store storage', () => {
  it('hands a stopped VM’s storage back, so starting and stopping VMs does not grow it', () => {
    useStatsStore.setState(initialStatsState())
    const many = Array.from({ length: 100 }, (_, i) => sample(`vm-${i}`, i))
    apply('h', 1000, ...many)
    const { pool } = useStatsStore.getState()
    const blocks = pool.blockCount
    const stopped = useStatsStore.getState().byVm.get('vm-0')!
    for (let round = 0; round < 20; round++) {
      apply('h', 2000 + round * 2000, ...many.slice(1))
      apply('h', 3000 + round * 2000, ...many)
    }
    expect(pool.blockCount).toBe(blocks)
    expect(stopped.cpu.length).toBe(0) // a history read after its VM stopped is empty
    expect(useStatsStore.getState().byVm.get('vm-0')!.cpu.toArray()).toEqual([0])
  })
})
