/**
 * A bounded queue read as an async iterator: the pull side of an event subscription.
 *
 * Bound: events are dropped *oldest first* once `maxQueue` are waiting, and counted in
 * `dropped`. Events here are transitions (started, paused, stopped ...), so the newest say
 * most about the present; a consumer that sees `dropped` grow should re-read the state
 * it mirrors (list the domains again) rather than trust the gap. Coalescing by key is not
 * done here: lifecycle transitions of one domain are not interchangeable.
 */

/** Default bound of an event iterator. */
export const DEFAULT_MAX_QUEUE = 1024

/** An async iterator of pushed values with a bound and an end (quiet or with an error). */
export class EventQueue<E> implements AsyncIterableIterator<E> {
  /** Events dropped because the consumer was more than `maxQueue` behind. */
  dropped = 0
  private readonly items: E[] = []
  private head = 0
  private waiter: { resolve(r: IteratorResult<E>): void; reject(e: unknown): void } | null = null
  private done = false
  private error: unknown = undefined
  private hasError = false

  /**
   * @param maxQueue most events kept for a slow consumer
   * @param onStop called once when the consumer stops early (break, return()) or the
   *   queue ends; releases the subscription feeding it
   */
  constructor(
    private readonly maxQueue: number,
    private onStop: (() => void) | null,
  ) {
    if (!(maxQueue >= 1)) throw new RangeError(`maxQueue must be at least 1, got ${maxQueue}`)
  }

  /** Events waiting to be read. */
  get size(): number {
    return this.items.length - this.head
  }

  /** Adds an event (ignored after the end). */
  push(item: E): void {
    if (this.done) return
    if (this.waiter) {
      const w = this.waiter
      this.waiter = null
      w.resolve({ value: item, done: false })
      return
    }
    if (this.size >= this.maxQueue) {
      this.items[this.head++] = undefined as E
      this.dropped++
    }
    this.items.push(item)
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head)
      this.head = 0
    }
  }

  /**
   * Ends the queue: waiting events are still read, then the iterator finishes, or throws
   * `error` if one is given.
   */
  end(error?: unknown): void {
    if (this.done) return
    this.done = true
    if (error !== undefined) {
      this.hasError = true
      this.error = error
    }
    this.stop()
    if (this.waiter && this.size === 0) {
      const w = this.waiter
      this.waiter = null
      this.settleEnd(w)
    }
  }

  /** The next event; after the end, `done` (or the error, once). */
  next(): Promise<IteratorResult<E>> {
    if (this.size > 0) {
      const value = this.items[this.head] as E
      this.items[this.head++] = undefined as E
      if (this.head === this.items.length) {
        this.items.length = 0
        this.head = 0
      }
      return Promise.resolve({ value, done: false })
    }
    if (this.done) return new Promise((resolve, reject) => this.settleEnd({ resolve, reject }))
    if (this.waiter) return Promise.reject(new Error('EventQueue: next() called concurrently'))
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject }
    })
  }

  /** The consumer stops (a `break` in `for await`): drop what is queued and unsubscribe. */
  return(): Promise<IteratorResult<E>> {
    this.items.length = 0
    this.head = 0
    this.hasError = false
    this.end()
    return Promise.resolve({ value: undefined, done: true })
  }

  /** This object is its own iterator. */
  [Symbol.asyncIterator](): this {
    return this
  }

  private settleEnd(w: { resolve(r: IteratorResult<E>): void; reject(e: unknown): void }): void {
    if (this.hasError) {
      this.hasError = false
      w.reject(this.error)
    } else {
      w.resolve({ value: undefined, done: true })
    }
  }

  private stop(): void {
    const f = this.onStop
    this.onStop = null
    f?.()
  }
}
