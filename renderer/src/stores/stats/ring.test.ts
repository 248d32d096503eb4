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

  it('holds epoch milliseconds exactly in a Float64Array, and starts over after clear', () => {
    const r = new Ring(2, { values: new Float64Array(2), offset: 0 })
    r.push(1_767_225_600_123)
    expect(r.last()).toBe(1_767_225_600_123)
    r.clear()
    expect(r.length).toBe(0)
    r.push(7)
    expect(r.toArray()).toEqual([7])
  })

  it('shares an array with other rings without touching their slices', () => {
    const values = new Float32Array(9)
    const [a, b, c] = [0, 3, 6].map((offset) => new Ring(3, { values, offset }))
    for (let i = 1; i <= 5; i++) {
      a!.push(i)
      b!.push(10 * i)
      c!.push(100 * i)
    }
    expect(a!.toArray()).toEqual([3, 4, 5])
    expect(b!.toArray()).toEqual([30, 40, 50])
    expect(c!.toArray()).toEqual([300, 400, 500])
  })

  it('refuses a slice that does not fit its storage', () => {
    expect(() => new Ring(3, { values: new Float32Array(5), offset: 3 })).toThrow(RangeError)
    expect(() => new Ring(3, { values: new Float32Array(5), offset: -1 })).toThrow(RangeError)
  })
})
