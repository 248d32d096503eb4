/**
 * A fixed-size ring of numbers over a slice of a typed array: `push` overwrites the oldest
 * value once full and never allocates, so a thousand VMs' histories cost nothing per tick but
 * the writes. Many rings can share one array (see history-pool.ts): allocating thousands of
 * small typed arrays on the first tick cost a browser hundreds of milliseconds.
 */
export class Ring {
  private readonly values: Float32Array | Float64Array
  private readonly offset: number
  /** Where the next value goes, from the slice's start. */
  private next = 0
  /** How many values it holds, up to its capacity. */
  length = 0

  /**
   * @param capacity how many values it keeps
   * @param storage where they live: `capacity` values from `offset` on (its own array by
   *   default). A Float64Array holds epoch milliseconds exactly; 32-bit floats are plenty for
   *   rates and percentages.
   */
  constructor(
    readonly capacity: number,
    storage?: { values: Float32Array | Float64Array; offset: number },
  ) {
    this.values = storage?.values ?? new Float32Array(capacity)
    this.offset = storage?.offset ?? 0
    if (this.offset < 0 || this.offset + capacity > this.values.length) {
      throw new RangeError(`a ring of ${capacity} does not fit at ${this.offset}`)
    }
  }

  /** Appends a value, dropping the oldest when full. */
  push(value: number): void {
    this.values[this.offset + this.next] = value
    this.next = (this.next + 1) % this.capacity
    if (this.length < this.capacity) this.length++
  }

  /** Forgets every value (the storage is kept). */
  clear(): void {
    this.next = 0
    this.length = 0
  }

  /** The i-th value, oldest first; undefined out of range. */
  at(i: number): number | undefined {
    if (i < 0 || i >= this.length) return undefined
    return this.values[
      this.offset + ((this.next - this.length + i + this.capacity) % this.capacity)
    ]
  }

  /** The newest value, if any. */
  last(): number | undefined {
    return this.at(this.length - 1)
  }

  /** The newest `count` values (all by default), oldest first, in a new array. */
  toArray(count = this.length): number[] {
    const n = Math.min(count, this.length)
    const out = new Array<number>(n)
    for (let i = 0; i < n; i++) out[i] = this.at(this.length - n + i)!
    return out
  }
}
