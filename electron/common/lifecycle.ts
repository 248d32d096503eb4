/** Something that holds a resource (a listener, a socket, a timer) until disposed. */
export interface Disposable {
  dispose(): void
}

/** Wraps a function as a Disposable that runs it at most once. */
export function toDisposable(fn: () => void): Disposable {
  let done = false
  return {
    dispose() {
      if (done) return
      done = true
      fn()
    },
  }
}

/**
 * Collects disposables and disposes them together, newest first. Adding to a store that
 * is already disposed disposes the newcomer at once, so nothing outlives its owner.
 */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>()
  private disposed = false

  /** Whether dispose() has run. */
  get isDisposed(): boolean {
    return this.disposed
  }

  /** Number of live disposables, for leak checks in tests. */
  get size(): number {
    return this.items.size
  }

  /** Takes ownership of `item` and returns it. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose()
      return item
    }
    this.items.add(item)
    return item
  }

  /** Disposes `item` now and forgets it. */
  delete(item: Disposable): void {
    if (this.items.delete(item)) item.dispose()
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    const errors: unknown[] = []
    for (const item of [...this.items].reverse()) {
      try {
        item.dispose()
      } catch (err) {
        errors.push(err)
      }
    }
    this.items.clear()
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed')
  }
}

/** A typed event source: `onX(listener)` returns a Disposable that unsubscribes. */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>()

  /** Subscribes; dispose the result to unsubscribe. */
  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener)
    return toDisposable(() => this.listeners.delete(listener))
  }

  /** Number of subscribers, for leak checks in tests. */
  get listenerCount(): number {
    return this.listeners.size
  }

  /** Calls every subscriber with `value`; a throwing subscriber does not stop the others. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value)
      } catch (err) {
        queueMicrotask(() => {
          throw err
        })
      }
    }
  }

  dispose(): void {
    this.listeners.clear()
  }
}
