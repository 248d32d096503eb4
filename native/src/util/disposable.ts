/** Something to release: a listener, a timer, a subscription (convention 14). */
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

/** A set of listeners of one event; `add` returns a Disposable that removes the listener. */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>()

  /**
   * @param onError receives what a listener throws; the default rethrows it from a
   *   microtask, so a bug surfaces as an uncaught exception instead of being lost
   */
  constructor(private readonly onError: (err: unknown) => void = rethrowLater) {}

  /** Number of listeners. */
  get size(): number {
    return this.set.size
  }

  /** Adds a listener. */
  add(fn: (...args: A) => void): Disposable {
    // Wrap so the same function can be added twice and removed independently.
    const entry = (...args: A): void => fn(...args)
    this.set.add(entry)
    return toDisposable(() => this.set.delete(entry))
  }

  /** Calls every listener; one that throws does not stop the others (see `onError`). */
  fire(...args: A): void {
    for (const fn of [...this.set]) {
      try {
        fn(...args)
      } catch (err) {
        this.onError(err)
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.set.clear()
  }
}

function rethrowLater(err: unknown): void {
  queueMicrotask(() => {
    throw err
  })
}
