/** Watches text as it arrives and times markers in it (Node sides of the serial bench). */
export class TextWatch {
  private tail = ''
  private readonly watchers = new Set<{ pattern: string; resolve(at: number): void }>()

  /** Forgets what arrived so far (the next wait looks only at what comes after). */
  clear(): void {
    this.tail = ''
  }

  /** Text arrived now. */
  feed(text: string): void {
    const at = performance.now()
    this.tail = (this.tail + text).slice(-8192)
    for (const w of this.watchers) {
      if (this.tail.includes(w.pattern)) {
        this.watchers.delete(w)
        w.resolve(at)
      }
    }
  }

  /** Resolves with performance.now() when `pattern` has arrived (now if it has). */
  waitFor(pattern: string, timeoutMs: number): Promise<number> {
    if (this.tail.includes(pattern)) return Promise.resolve(performance.now())
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(watcher)
        const tail = JSON.stringify(this.tail.slice(-300))
        reject(new Error(`no ${JSON.stringify(pattern)} in ${tail}`))
      }, timeoutMs)
      const watcher = {
        pattern,
        resolve: (at: number) => {
          clearTimeout(timer)
          resolve(at)
        },
      }
      this.watchers.add(watcher)
    })
  }

  /** Runs `send` and resolves with the ms from `begin` to `end` arriving after it. */
  async span(send: () => void, begin: string, end: string, timeoutMs: number): Promise<number> {
    this.tail = ''
    const first = this.waitFor(begin, timeoutMs)
    const last = this.waitFor(end, timeoutMs)
    send()
    const [a, b] = await Promise.all([first, last])
    return b - a
  }

  /** Runs `send` (one key) and resolves with the ms until `key` arrived. */
  async echo(send: () => void, key: string, timeoutMs: number): Promise<number> {
    this.tail = ''
    const echoed = this.waitFor(key, timeoutMs)
    const sent = performance.now()
    send()
    return (await echoed) - sent
  }
}
