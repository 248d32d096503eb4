import { describe, expect, it } from 'vitest'
import type { DomainStats } from '@native'
import { countersOf, ratesOf } from './stats-rates'

const stats = (cpuNs: number, rd: number, rx: number): DomainStats =>
  ({
    name: 'vm',
    uuid: 'u',
    id: 1,
    handle: {} as DomainStats['handle'],
    cpu: { time: cpuNs },
    balloon: { current: 262144, rss: 120000 },
    vcpu: { current: 2, vcpus: [] },
    block: [
      { rdBytes: rd, wrBytes: 0 },
      { rdBytes: rd, wrBytes: 10 },
    ],
    interfaces: [{ rxBytes: rx, txBytes: 5 }],
  }) as DomainStats

describe('stats rates', () => {
  it('turns two readings into CPU share of the vCPUs and byte rates', () => {
    const a = countersOf(stats(0, 0, 0), 1000)
    const b = countersOf(stats(1e9, 1024, 2048), 3000) // 2 s later
    const r = ratesOf(stats(1e9, 1024, 2048), b, a)
    expect(r.cpuPercent).toBeCloseTo(25) // 1 s of CPU over 2 s on 2 vCPUs
    expect(r.diskReadBps).toBe(1024) // 2 disks x 1024 B over 2 s
    expect(r.netRxBps).toBe(1024)
    expect(r.diskWriteBps).toBe(0)
    expect(r).toMatchObject({ vcpus: 2, memoryKiB: 262144, memoryUsedKiB: 120000 })
  })

  it('reads 0 without a previous reading and when a counter went backwards', () => {
    const now = countersOf(stats(5e9, 100, 100), 2000)
    expect(ratesOf(stats(5e9, 100, 100), now, undefined).cpuPercent).toBe(0)
    const restarted = countersOf(stats(1e6, 0, 0), 3000)
    const r = ratesOf(stats(1e6, 0, 0), restarted, now)
    expect(r.cpuPercent).toBe(0)
    expect(r.diskReadBps).toBe(0)
  })
})
