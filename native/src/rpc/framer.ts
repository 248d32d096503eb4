/**
 * Splits a byte stream into packets.
 *
 * Wire layout: every packet starts with a 4-byte big-endian length that counts the whole
 * packet *including* those 4 bytes; legal values are 28 (header only) to 33554436
 * (VIR_NET_MESSAGE_MAX + 4). Anything else is a ProtocolError raised as soon as the
 * length word is complete, before any buffer for the packet is allocated.
 *
 * No I/O: bytes go in through {@link Framer.push}, frames come out through the callback.
 */
import { VIR_NET_MESSAGE_INITIAL } from '../protocol/generated/constants.gen'
import { ProtocolError } from './errors'
import { LENGTH_SIZE, MAX_PACKET, MIN_PACKET } from './packet'

/**
 * Receives one frame: the packet without its length word (header + body). The bytes are
 * either a view of a chunk given to push() (so callers must not reuse chunk buffers) or
 * a buffer of the framer's that it never touches again; either way they may be kept.
 */
export type FrameHandler = (frame: Uint8Array) => void

/** Reassembles length-prefixed packets from chunks of any size. */
export class Framer {
  private readonly lengthWord = new Uint8Array(LENGTH_SIZE)
  private lengthHave = 0
  /** The packet being assembled (without its length word), or null between packets. */
  private partial: Uint8Array | null = null
  private partialNeed = 0
  private partialHave = 0
  private failed: ProtocolError | null = null

  /** @param onFrame called once per complete packet, in order */
  constructor(private readonly onFrame: FrameHandler) {}

  /** Bytes received that do not make a complete packet yet. */
  get buffered(): number {
    return this.lengthHave + this.partialHave
  }

  /**
   * Feeds bytes. Complete frames are delivered before this returns.
   * @throws ProtocolError for an out-of-bounds length word (and on every later push)
   */
  push(chunk: Uint8Array): void {
    if (this.failed) throw this.failed
    let off = 0
    const end = chunk.byteLength
    while (off < end) {
      if (this.partial !== null) {
        off = this.fill(chunk, off)
        continue
      }
      if (this.lengthHave === 0 && end - off >= LENGTH_SIZE) {
        // length word: unsigned int, counts itself
        const len = readUint32(chunk, off)
        this.check(len)
        if (end - off >= len) {
          // The whole packet is inside this chunk: hand out a view, no copy.
          const frame = chunk.subarray(off + LENGTH_SIZE, off + len)
          off += len
          this.onFrame(frame)
          continue
        }
        off += LENGTH_SIZE
        this.begin(len - LENGTH_SIZE)
        continue
      }
      // A length word split across chunks: collect its bytes first.
      const n = Math.min(LENGTH_SIZE - this.lengthHave, end - off)
      this.lengthWord.set(chunk.subarray(off, off + n), this.lengthHave)
      this.lengthHave += n
      off += n
      if (this.lengthHave === LENGTH_SIZE) {
        this.lengthHave = 0
        const len = readUint32(this.lengthWord, 0)
        this.check(len)
        this.begin(len - LENGTH_SIZE)
      }
    }
  }

  /** Rejects a length word out of bounds, before anything is allocated for it. */
  private check(len: number): void {
    if (len < MIN_PACKET || len > MAX_PACKET) {
      this.failed = new ProtocolError(
        `packet length ${len} is outside ${MIN_PACKET}..${MAX_PACKET} bytes`,
      )
      throw this.failed
    }
  }

  /** Starts assembling a packet of `need` bytes; the buffer grows as bytes arrive. */
  private begin(need: number): void {
    this.partial = new Uint8Array(Math.min(need, VIR_NET_MESSAGE_INITIAL))
    this.partialNeed = need
    this.partialHave = 0
  }

  /** Copies bytes of the packet being assembled; delivers it when complete. */
  private fill(chunk: Uint8Array, off: number): number {
    let buf = this.partial!
    const n = Math.min(this.partialNeed - this.partialHave, chunk.byteLength - off)
    if (this.partialHave + n > buf.byteLength) {
      let size = buf.byteLength * 2
      while (size < this.partialHave + n) size *= 2
      const grown = new Uint8Array(Math.min(size, this.partialNeed))
      grown.set(buf.subarray(0, this.partialHave))
      buf = this.partial = grown
    }
    buf.set(chunk.subarray(off, off + n), this.partialHave)
    this.partialHave += n
    if (this.partialHave === this.partialNeed) {
      this.partial = null
      this.partialHave = 0
      this.onFrame(buf)
    }
    return off + n
  }
}

function readUint32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
}
