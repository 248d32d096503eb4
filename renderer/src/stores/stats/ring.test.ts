import { describe, expect, it } from 'vitest'
import { Ring } from './ring'

describe('Ring', () => {
  it('keeps the newest values up to its capacity, oldest first', () => {
    const r = new Ring(3)
    expect(r.last()).toBeUndefined()
    expect(r.toArray()).toEqual([])
    for (const v of [1, 2, 3, 4, 5]) r.push(v)
    expect(r.length).toBe(3)
    expect(r.toArray()).toEqual([3, 4, 5])
    expect(r.toArray(2)).toEqual([4, 5])
    expect(r.toArray(10)).toEqual([3, 4, 5])
    expect([r.at(0), r.at(2), r.at(3), r.at(-1)]).toEqual([3, 5, undefined, undefined])
  })

  it('holds epoch milliseconds exactly when precise, and starts over after clear', () => {
    const r = new Ring(2, true)
    r.push(1_767_225_600_123)
    expect(r.last()).toBe(1_767_225_600_123)
    r.clear()
    expect(r.length).toBe(0)
    r.push(7)
    expect(r.toArray()).toEqual([7])
  })
})
