import { describe, expect, it, vi } from 'vitest'
import { EventQueue } from './event-queue'

describe('EventQueue', () => {
  it('hands out pushed values in order, to a waiting reader too', async () => {
    const q = new EventQueue<number>(10, null)
    const first = q.next()
    q.push(1)
    q.push(2)
    expect(await first).toEqual({ value: 1, done: false })
    expect(await q.next()).toEqual({ value: 2, done: false })
  })

  it('drops the oldest beyond its bound and counts them', async () => {
    const q = new EventQueue<number>(3, null)
    for (let i = 1; i <= 5; i++) q.push(i)
    expect(q.dropped).toBe(2)
    q.end()
    const seen: number[] = []
    for await (const v of q) seen.push(v)
    expect(seen).toEqual([3, 4, 5])
  })

  it('stays bounded over many pushes', () => {
    const q = new EventQueue<number>(100, null)
    for (let i = 0; i < 100_000; i++) q.push(i)
    expect(q.size).toBe(100)
    expect(q.dropped).toBe(99_900)
  })

  it('yields what it holds before an end error, then throws it once', async () => {
    const stop = vi.fn()
    const q = new EventQueue<string>(10, stop)
    q.push('a')
    const boom = new Error('lost')
    q.end(boom)
    expect(stop).toHaveBeenCalledTimes(1)
    expect(await q.next()).toEqual({ value: 'a', done: false })
    await expect(q.next()).rejects.toBe(boom)
    expect(await q.next()).toEqual({ value: undefined, done: true })
  })

  it('a waiting reader gets the end', async () => {
    const q = new EventQueue<string>(10, null)
    const waiting = q.next()
    q.end()
    expect(await waiting).toEqual({ value: undefined, done: true })
  })

  it('break in for-await stops the feed once', async () => {
    const stop = vi.fn()
    const q = new EventQueue<number>(10, stop)
    q.push(1)
    q.push(2)
    for await (const v of q) {
      expect(v).toBe(1)
      break
    }
    expect(stop).toHaveBeenCalledTimes(1)
    q.push(3)
    expect(q.size).toBe(0)
    expect(await q.next()).toEqual({ value: undefined, done: true })
  })

  it('refuses a bound below 1', () => {
    expect(() => new EventQueue(0, null)).toThrow(RangeError)
  })
})
