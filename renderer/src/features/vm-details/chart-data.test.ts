import { describe, expect, it } from 'vitest'
import type { VmStats } from '@common/contract/vms'
import { HistoryPool } from '../../stores/stats/history-pool'
import { emptyHistory, HISTORY } from '../../stores/stats/initial-state'
import { chartSeries } from './chart-data'

const stats = (n: number): VmStats => ({
  uuid: 'u',
  cpuPercent: n,
  vcpus: 1,
  memoryKiB: 262144,
  memoryUsedKiB: 1024 * n,
  diskReadBps: 2048 * n,
  diskWriteBps: 0,
  netRxBps: 10,
  netTxBps: 20,
})

function history(samples: number) {
  const h = emptyHistory('h', stats(0), new HistoryPool(HISTORY))
  for (let i = 1; i <= samples; i++) {
    const s = stats(i)
    h.at.push(1_767_225_600_000 + i * 1000)
    h.cpu.push(s.cpuPercent)
    h.memoryUsedKiB.push(s.memoryUsedKiB)
    h.diskReadBps.push(s.diskReadBps)
    h.diskWriteBps.push(s.diskWriteBps)
    h.netRxBps.push(s.netRxBps)
    h.netTxBps.push(s.netTxBps)
  }
  return h
}

describe('chartSeries', () => {
  it('gives empty columns and no latest value before the first sample', () => {
    const c = chartSeries(undefined, ['diskReadBps', 'diskWriteBps'], 'rate')
    expect(c.data).toEqual([[], [], []])
    expect(c.unit?.name).toBe('B')
    expect(c.latest.every(Number.isNaN)).toBe(true)
  })

  it('puts seconds on x and percentages unchanged on y', () => {
    const c = chartSeries(history(3), ['cpu'], 'percent')
    expect(c.data).toEqual([
      [1_767_225_601, 1_767_225_602, 1_767_225_603],
      [1, 2, 3],
    ])
    expect(c.unit).toBeUndefined()
    expect(c.latest).toEqual([3])
  })

  it('scales rates to the unit of the largest value across series', () => {
    const c = chartSeries(history(2), ['diskReadBps', 'diskWriteBps'], 'rate')
    expect(c.unit).toEqual({ name: 'KiB', divisor: 1024 })
    expect(c.data.slice(1)).toEqual([
      [2, 4],
      [0, 0],
    ])
    expect(c.latest).toEqual([4, 0])
  })

  it('converts KiB to bytes before picking the unit', () => {
    const c = chartSeries(history(2), ['memoryUsedKiB'], 'bytes', 1024)
    expect(c.unit?.name).toBe('MiB')
    expect(c.data[1]).toEqual([1, 2])
  })
})

describe('chartSeries with a floor', () => {
  it('picks the unit that also fits the floor, such as the guest’s memory', () => {
    const c = chartSeries(history(2), ['memoryUsedKiB'], 'bytes', 1024, 4 * 1024 * 1024)
    expect(c.unit?.name).toBe('GiB')
    expect(chartSeries(undefined, ['memoryUsedKiB'], 'bytes', 1024, 262144).unit?.name).toBe('MiB')
  })
})
