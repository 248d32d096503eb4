import { describe, expect, it } from 'vitest'
import { costPerTick, type TraceEvent } from './renderer-trace'
import { costsByFunction, type CpuProfile } from './profile'
import { formatTable, verdict } from './table'

const MAIN = { pid: 1, tid: 7 }
const thread = (pid: number, tid: number, name: string): TraceEvent => ({
  name: 'thread_name',
  ph: 'M',
  pid,
  tid,
  ts: 0,
  args: { name },
})
const receive = (ts: number): TraceEvent => ({ name: 'WebSocketReceive', ph: 'I', ...MAIN, ts })
const x = (name: string, ts: number, dur: number, where = MAIN): TraceEvent => ({
  name,
  ph: 'X',
  ...where,
  ts,
  dur,
})

describe('costPerTick', () => {
  it('sums script work per tick window once, nested or overlapping', () => {
    const events = [
      thread(1, 7, 'CrRendererMain'),
      thread(2, 9, 'CrRendererMain'),
      receive(1_000_000),
      x('FunctionCall', 1_000_100, 5_000),
      x('v8.callFunction', 1_000_200, 4_000), // inside the call: not counted twice
      x('RunMicrotasks', 1_004_000, 3_000), // overlaps the call's end by 1.1 ms
      x('Layout', 1_010_000, 2_000),
      x('FunctionCall', 1_500_000, 1_000, { pid: 2, tid: 9 }), // another renderer
      receive(2_000_000),
      receive(2_050_000), // the same message in a second read
      x('MinorGC', 2_100_000, 500),
      receive(3_000_000),
      x('FunctionCall', 3_000_100, 9_000), // the last window may be cut short: dropped
    ]
    const ticks = costPerTick(events)
    expect(ticks).toHaveLength(2)
    expect(ticks[0]!.scripting).toBeCloseTo(6.9)
    expect(ticks[0]!.rendering).toBeCloseTo(2)
    expect(ticks[1]!.scripting).toBeCloseTo(0.5)
  })

  it('returns nothing without a renderer main thread', () => {
    expect(costPerTick([receive(1), receive(2_000_000)])).toEqual([])
  })
})

describe('costsByFunction', () => {
  it('gives each sample the time to the next one, self and total per function', () => {
    const frame = (functionName: string) => ({
      functionName,
      url: '',
      lineNumber: 0,
      columnNumber: 0,
    })
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2] },
        { id: 2, callFrame: frame('tick'), children: [3] },
        { id: 3, callFrame: frame('send') },
      ],
      samples: [2, 3, 3, 2],
      timeDeltas: [0, 1000, 2000, 3000],
    }
    const costs = costsByFunction(profile, () => undefined)
    const tick = costs.find((c) => c.where === 'tick')!
    const send = costs.find((c) => c.where === 'send')!
    expect(send.self).toBe(5) // samples 2 and 3: 2 ms + 3 ms
    expect(tick.self).toBe(1) // sample 1 (the last sample has no next one)
    expect(tick.total).toBe(6)
  })
})

describe('table', () => {
  it('judges ratio, absolute and growth targets', () => {
    expect(verdict({ name: 'a', unit: 'ms', ours: 9, anchor: 10, target: { ratio: 1 } })).toBe('ok')
    expect(verdict({ name: 'b', unit: 'ms', ours: 21, target: { max: 20 } })).toBe('MISS')
    expect(verdict({ name: 'c', unit: '%', ours: -3, target: { maxPct: 5 } })).toBe('ok')
    expect(verdict({ name: 'd', unit: 'ms', ours: 1 })).toBe('')
    const text = formatTable([{ name: 'x', unit: 'ms', ours: 12, anchor: 6, target: { max: 20 } }])
    expect(text).toContain('2.00x')
    expect(text).toContain('<= 20 ms')
  })
})
