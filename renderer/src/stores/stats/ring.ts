/**
 * A fixed-size ring of numbers over one typed array: `push` overwrites the oldest value once
 * full and never allocates, so a thousand VMs' histories cost nothing per tick but the writes.
 */
export class Ring {
  private readonly values: Float32Array | Float64Array
  /** Where the next value goes. */
  private next = 0
  /** How many values it holds, up to its capacity. */
  length = 0

  /**
   * @param capacity how many values it keeps
   * @param precise 64-bit values (timestamps); 32-bit is plenty for rates and percentages
   */
  constructor(
    readonly capacity: number,
    precise = false,
  ) {
    this.values = precise ? new Float64Array(capacity) : new Float32Array(capacity)
  }

  /** Appends a value, dropping the oldest when full. */
  push(value: number): void {
    this.values[this.next] = value
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
    return this.values[(this.next - this.length + i + this.capacity) % this.capacity]
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
