import { Buffer } from 'node:buffer'
import { XdrError } from './xdr-error'

/** Every XDR item takes at least this many bytes, so a count is checked against it. */
const MIN_ITEM_SIZE = 4

/** Bytes of zero padding that follow `n` bytes of opaque data or string. */
function padding(n: number): number {
  return (4 - (n & 3)) & 3
}

/**
 * Reads big-endian XDR (RFC 4506) from one buffer.
 *
 * Every method checks that the bytes it needs are there *before* it reads or allocates:
 * a length or element count is compared with the declared maximum and with the bytes
 * left, so a hostile count of 2^31 fails at once instead of allocating. Any failure is an
 * {@link XdrError} carrying the offset. Padding bytes are skipped without checking that
 * they are zero (libvirt's own decoder does not check them either).
 */
export class XdrReader {
  /** Current read position within the buffer. */
  offset: number
  private readonly view: DataView
  private readonly bytes: Buffer
  private readonly end: number

  /**
   * @param data the bytes to read (not copied; opaque values are copied out of it)
   * @param start first byte to read
   * @param end one past the last byte to read (default: the end of `data`)
   */
  constructor(data: Uint8Array, start = 0, end = data.byteLength) {
    if (start < 0 || end > data.byteLength || start > end) {
      throw new XdrError(`bad reader window ${start}..${end} of ${data.byteLength}`, start)
    }
    this.bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    this.offset = start
    this.end = end
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.end - this.offset
  }

  /** Throws unless every byte has been read: trailing bytes mean a wrong decoder. */
  expectEnd(): void {
    if (this.offset !== this.end) {
      throw new XdrError(`${this.end - this.offset} unexpected trailing bytes`, this.offset)
    }
  }

  /** Claims `n` bytes and returns where they start; throws if fewer are left. */
  private take(n: number, what: string): number {
    const at = this.offset
    if (n > this.end - at) {
      throw new XdrError(`truncated ${what}: need ${n} bytes, ${this.end - at} left`, at)
    }
    this.offset = at + n
    return at
  }

  /** `int`: 4 bytes, two's complement. Also `char` and `short`, which XDR widens. */
  int(): number {
    return this.view.getInt32(this.take(4, 'int'))
  }

  /** `unsigned int`: 4 bytes. Also `unsigned char` and `unsigned short`. */
  uint(): number {
    return this.view.getUint32(this.take(4, 'unsigned int'))
  }

  /** `hyper`: 8 bytes, two's complement, as a bigint (it may exceed 2^53). */
  hyper(): bigint {
    return this.view.getBigInt64(this.take(8, 'hyper'))
  }

  /** `unsigned hyper`: 8 bytes, as a bigint (it may exceed 2^53). */
  uhyper(): bigint {
    return this.view.getBigUint64(this.take(8, 'unsigned hyper'))
  }

  /** `bool`: 4 bytes, 0 or 1; anything else is an error. */
  bool(): boolean {
    const at = this.offset
    const v = this.view.getUint32(this.take(4, 'bool'))
    if (v > 1) throw new XdrError(`bool must be 0 or 1, got ${v}`, at)
    return v === 1
  }

  /** `float`: 4-byte IEEE 754 binary32. */
  float(): number {
    return this.view.getFloat32(this.take(4, 'float'))
  }

  /** `double`: 8-byte IEEE 754 binary64. */
  double(): number {
    return this.view.getFloat64(this.take(8, 'double'))
  }

  /** `opaque x[n]`: exactly n raw bytes then padding, no length on the wire. */
  fixedOpaque(n: number): Uint8Array {
    const at = this.take(n + padding(n), 'fixed opaque')
    return this.copy(at, n)
  }

  /** A plain Uint8Array copy of `n` bytes at `at`, so no value keeps the packet alive. */
  private copy(at: number, n: number): Uint8Array {
    const out = new Uint8Array(n)
    out.set(this.bytes.subarray(at, at + n))
    return out
  }

  /** Reads a 4-byte length and checks it against `max` and against the bytes left. */
  private length(max: number, what: string): number {
    const at = this.offset
    const n = this.view.getUint32(this.take(4, `${what} length`))
    if (n > max) throw new XdrError(`${what} length ${n} exceeds maximum ${max}`, at)
    if (n + padding(n) > this.end - this.offset) {
      throw new XdrError(`${what} length ${n} exceeds the ${this.end - this.offset} bytes left`, at)
    }
    return n
  }

  /** `opaque x<max>`: 4-byte length, the bytes, padding. */
  varOpaque(max: number): Uint8Array {
    const n = this.length(max, 'opaque')
    const at = this.take(n + padding(n), 'opaque')
    return this.copy(at, n)
  }

  /** `string x<max>`: 4-byte length, UTF-8 bytes without NUL, padding. */
  string(max: number): string {
    const n = this.length(max, 'string')
    const at = this.take(n + padding(n), 'string')
    return this.bytes.toString('utf8', at, at + n)
  }

  /**
   * `T x<max>`: 4-byte element count then the elements. The count is checked against
   * `max` and against the bytes left (each element takes at least `minSize` bytes) before
   * anything is allocated.
   */
  array<T>(max: number, decode: (r: XdrReader) => T, minSize = MIN_ITEM_SIZE): T[] {
    const at = this.offset
    const n = this.view.getUint32(this.take(4, 'array count'))
    if (n > max) throw new XdrError(`array count ${n} exceeds maximum ${max}`, at)
    if (n * minSize > this.end - this.offset) {
      throw new XdrError(`array count ${n} exceeds the ${this.end - this.offset} bytes left`, at)
    }
    const out = new Array<T>(n)
    for (let i = 0; i < n; i++) out[i] = decode(this)
    return out
  }

  /** `T x[n]`: exactly n elements, no count on the wire. */
  fixedArray<T>(n: number, decode: (r: XdrReader) => T, minSize = MIN_ITEM_SIZE): T[] {
    if (n * minSize > this.end - this.offset) {
      throw new XdrError(
        `fixed array of ${n} exceeds the ${this.remaining} bytes left`,
        this.offset,
      )
    }
    const out = new Array<T>(n)
    for (let i = 0; i < n; i++) out[i] = decode(this)
    return out
  }

  /** `T *x` (optional data): a 4-byte flag, 0 = absent, 1 = the value follows. */
  optional<T>(decode: (r: XdrReader) => T): T | null {
    const at = this.offset
    const flag = this.view.getUint32(this.take(4, 'optional flag'))
    if (flag === 0) return null
    if (flag !== 1) throw new XdrError(`optional flag must be 0 or 1, got ${flag}`, at)
    return decode(this)
  }
}
