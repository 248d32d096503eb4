import { describe, expect, it } from 'vitest'
import { HistoryPool, RATE_FIELDS } from './history-pool'

describe('HistoryPool', () => {
  it('gives each VM rings of its own over shared blocks', () => {
    const pool = new HistoryPool(4, 2)
    const [a, b, c] = [pool.take(), pool.take(), pool.take()]
    expect(pool.blockCount).toBe(2)
    for (let i = 1; i <= 6; i++) {
      for (const [k, r] of [a!, b!, c!].entries()) {
        r.at.push(1_767_225_600_000 + i)
        for (const [j, field] of RATE_FIELDS.entries()) r[field].push(1000 * k + 10 * j + i)
      }
    }
    for (const [k, r] of [a!, b!, c!].entries()) {
      expect(r.at.toArray()).toEqual([3, 4, 5, 6].map((i) => 1_767_225_600_000 + i))
      for (const [j, field] of RATE_FIELDS.entries()) {
        expect(r[field].toArray()).toEqual([3, 4, 5, 6].map((i) => 1000 * k + 10 * j + i))
      }
    }
  })

  it('empties released rings, reuses their slot, and frees a block nobody uses', () => {
    const pool = new HistoryPool(3, 2)
    const [a, b, c] = [pool.take(), pool.take(), pool.take()]
    a!.cpu.push(5)
    a!.release()
    a!.release()
    expect(a!.cpu.length).toBe(0)
    const d = pool.take()
    expect(pool.blockCount).toBe(2)
    d.cpu.push(9)
    expect(a!.cpu.toArray()).toEqual([]) // the old rings stay empty
    expect(d.cpu.toArray()).toEqual([9])
    c!.release()
    expect(pool.blockCount).toBe(1)
    b!.release()
    d.release()
    expect(pool.blockCount).toBe(1) // the last block is kept for the next VM
  })
})
