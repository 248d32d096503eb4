import { Buffer } from 'node:buffer'
import { XdrError } from './xdr-error'

const INT_MIN = -0x8000_0000
const INT_MAX = 0x7fff_ffff
const UINT_MAX = 0xffff_ffff
const HYPER_MIN = -(2n ** 63n)
const HYPER_MAX = 2n ** 63n - 1n
const UHYPER_MAX = 2n ** 64n - 1n

/** Options of an {@link XdrWriter}. */
export interface XdrWriterOptions {
  /** First buffer size; it doubles as needed. Default 256 bytes. */
  initialSize?: number
  /** Hard limit on the bytes written; going past it is an {@link XdrError}. */
  maxSize?: number
}

/**
 * Writes big-endian XDR (RFC 4506) into a growable buffer.
 *
 * Every value is checked before it is written: integers must be whole and in range,
 * strings, opaque data and arrays must respect their declared maximum, fixed-size items
 * must have exactly their size. A violation is an {@link XdrError} with the offset where
 * the value would have gone. A writer can be reused with {@link XdrWriter.reset}.
 */
export class XdrWriter {
  /** Bytes written so far (the next write position). */
  offset = 0
  private buf: Buffer
  private view: DataView
  private readonly maxSize: number

  constructor(options: XdrWriterOptions = {}) {
    this.buf = Buffer.allocUnsafe(options.initialSize ?? 256)
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength)
    this.maxSize = options.maxSize ?? Number.MAX_SAFE_INTEGER
  }

  /** Current size of the internal buffer. */
  get capacity(): number {
    return this.buf.byteLength
  }

  /** Forgets what was written and starts again at offset 0, keeping the buffer. */
  reset(): void {
    this.offset = 0
  }

  /** The bytes written so far, as a view of the internal buffer (valid until the next write). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.offset)
  }

  /** A copy of the bytes written so far, safe to keep. */
  toBytes(): Buffer {
    const out = Buffer.allocUnsafe(this.offset)
    this.buf.copy(out, 0, 0, this.offset)
    return out
  }

  /** Makes room for `n` more bytes and returns where they start. */
  private claim(n: number): number {
    const at = this.offset
    const need = at + n
    if (need > this.maxSize) {
      throw new XdrError(`message would exceed its limit of ${this.maxSize} bytes`, at)
    }
    if (need > this.buf.byteLength) {
      let size = this.buf.byteLength * 2
      while (size < need) size *= 2
      const next = Buffer.allocUnsafe(Math.min(size, this.maxSize))
      this.buf.copy(next, 0, 0, at)
      this.buf = next
      this.view = new DataView(next.buffer, next.byteOffset, next.byteLength)
    }
    this.offset = need
    return at
  }

  /** Writes a 4-byte unsigned length, count or flag (claim first: it may swap the buffer). */
  private word(v: number): void {
    const at = this.claim(4)
    this.view.setUint32(at, v)
  }

  /** Writes zero bytes so that `n` bytes of data end on a multiple of 4. */
  private pad(n: number): void {
    const p = (4 - (n & 3)) & 3
    if (p > 0) {
      const at = this.claim(p)
      this.buf.fill(0, at, this.offset)
    }
  }

  /** `int`: 4 bytes, two's complement. Also `char` and `short`, which XDR widens. */
  int(v: number): void {
    if (!Number.isInteger(v) || v < INT_MIN || v > INT_MAX) {
      throw new XdrError(`int out of range: ${v}`, this.offset)
    }
    const at = this.claim(4)
    this.view.setInt32(at, v)
  }

  /** `unsigned int`: 4 bytes. Also `unsigned char` and `unsigned short`. */
  uint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > UINT_MAX) {
      throw new XdrError(`unsigned int out of range: ${v}`, this.offset)
    }
    const at = this.claim(4)
    this.view.setUint32(at, v)
  }

  /** `hyper`: 8 bytes, two's complement. */
  hyper(v: bigint): void {
    if (typeof v !== 'bigint' || v < HYPER_MIN || v > HYPER_MAX) {
      throw new XdrError(`hyper out of range: ${String(v)}`, this.offset)
    }
    const at = this.claim(8)
    this.view.setBigInt64(at, v)
  }

  /** `unsigned hyper`: 8 bytes. */
  uhyper(v: bigint): void {
    if (typeof v !== 'bigint' || v < 0n || v > UHYPER_MAX) {
      throw new XdrError(`unsigned hyper out of range: ${String(v)}`, this.offset)
    }
    const at = this.claim(8)
    this.view.setBigUint64(at, v)
  }

  /** `bool`: 4 bytes, 0 or 1. */
  bool(v: boolean): void {
    const at = this.claim(4)
    this.view.setUint32(at, v ? 1 : 0)
  }

  /** `float`: 4-byte IEEE 754 binary32. */
  float(v: number): void {
    const at = this.claim(4)
    this.view.setFloat32(at, v)
  }

  /** `double`: 8-byte IEEE 754 binary64. */
  double(v: number): void {
    const at = this.claim(8)
    this.view.setFloat64(at, v)
  }

  /** `opaque x[n]`: exactly n bytes then padding, no length. */
  fixedOpaque(v: Uint8Array, n: number): void {
    if (v.byteLength !== n) {
      throw new XdrError(`fixed opaque must be ${n} bytes, got ${v.byteLength}`, this.offset)
    }
    const at = this.claim(n)
    this.buf.set(v, at)
    this.pad(n)
  }

  /** `opaque x<max>`: 4-byte length, the bytes, padding. */
  varOpaque(v: Uint8Array, max: number): void {
    const n = v.byteLength
    if (n > max) throw new XdrError(`opaque length ${n} exceeds maximum ${max}`, this.offset)
    this.word(n)
    const at = this.claim(n)
    this.buf.set(v, at)
    this.pad(n)
  }

  /** `string x<max>`: 4-byte length, UTF-8 bytes, padding. `max` counts bytes. */
  string(v: string, max: number): void {
    if (typeof v !== 'string') throw new XdrError(`not a string: ${typeof v}`, this.offset)
    const n = Buffer.byteLength(v, 'utf8')
    if (n > max) throw new XdrError(`string length ${n} exceeds maximum ${max}`, this.offset)
    this.word(n)
    const at = this.claim(n)
    if (n > 0) this.buf.write(v, at, n, 'utf8')
    this.pad(n)
  }

  /** `T x<max>`: 4-byte count then the elements. */
  array<T>(v: readonly T[], max: number, encode: (w: XdrWriter, item: T) => void): void {
    if (v.length > max) {
      throw new XdrError(`array count ${v.length} exceeds maximum ${max}`, this.offset)
    }
    this.word(v.length)
    for (const item of v) encode(this, item)
  }

  /** `T x[n]`: exactly n elements, no count. */
  fixedArray<T>(v: readonly T[], n: number, encode: (w: XdrWriter, item: T) => void): void {
    if (v.length !== n) {
      throw new XdrError(`fixed array must have ${n} elements, got ${v.length}`, this.offset)
    }
    for (const item of v) encode(this, item)
  }

  /** `T *x` (optional data): flag 0 for null, or flag 1 and the value. */
  optional<T>(v: T | null | undefined, encode: (w: XdrWriter, item: T) => void): void {
    if (v == null) {
      this.word(0)
    } else {
      this.word(1)
      encode(this, v)
    }
  }

  /** Overwrites an already written 4-byte word, e.g. a length known only at the end. */
  patchUint(at: number, v: number): void {
    if (at < 0 || at + 4 > this.offset) throw new XdrError(`cannot patch at ${at}`, at)
    this.view.setUint32(at, v)
  }

  /** Appends raw bytes with no length and no padding (stream packet bodies). */
  raw(v: Uint8Array): void {
    const at = this.claim(v.byteLength)
    this.buf.set(v, at)
  }
}
