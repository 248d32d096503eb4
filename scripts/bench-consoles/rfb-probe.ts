/**
 * A minimal RFB client for measuring a VNC transport, the same in the bench page (over our
 * byte channel or websockify's WebSocket) and in Node (straight TCP, the baseline). No I/O:
 * bytes go out through `send`, come in through `receive`.
 *
 * - `roundTrip()`: SetEncodings with QEMU's extended key event pseudo-encoding (-258), which
 *   QEMU acknowledges at once with a one-rectangle FramebufferUpdate: a request and its reply
 *   with no refresh timer in between, so the time is the transport's round trip.
 * - `fullFrames(ms)`: non-incremental FramebufferUpdateRequests for the whole screen in Raw
 *   encoding, one after another: bytes/s and frames/s the path carries at full size.
 */

/** RFB message and encoding numbers (RFC 6143; -258 is QEMU's extended key event). */
const MSG_SET_ENCODINGS = 2
const MSG_FB_UPDATE_REQUEST = 3
const ENCODING_RAW = 0
const ENCODING_QEMU_EXT_KEY = -258

/** What a run of full frames measured. */
export interface FullFrames {
  frames: number
  bytes: number
  seconds: number
  /** Request sent → first byte of its reply, ms. */
  latencies: number[]
}

type Waiter = { done: (value: number) => void }

const EMPTY = new Uint8Array(0)

/** A VNC client that does the handshake (security None) and two kinds of measurements. */
export class RfbProbe {
  /** Unparsed protocol bytes (headers only: Raw pixel data is skipped, never buffered). */
  private buf = EMPTY
  private stage: 'version' | 'security' | 'result' | 'init' | 'message' | 'rect' = 'version'
  private bytesPerPixel = 4
  private rectsLeft = 0
  /** Pixel bytes of the current Raw rectangle still to come. */
  private skip = 0
  private received = 0
  private frameWaiter: Waiter | undefined
  private firstByteWaiter: Waiter | undefined
  private readyResolve!: () => void
  /** The screen size from ServerInit. */
  width = 0
  height = 0
  /** Resolves after ServerInit. */
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve))

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    private readonly now: () => number,
  ) {}

  /** Feeds bytes from the server. */
  receive(chunk: Uint8Array): void {
    this.received += chunk.byteLength
    if (this.firstByteWaiter) {
      const w = this.firstByteWaiter
      this.firstByteWaiter = undefined
      w.done(this.now())
    }
    let data = chunk
    while (data.length > 0) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length)
        this.skip -= n
        data = data.subarray(n)
        if (this.skip === 0) this.rectDone()
        continue
      }
      const merged = new Uint8Array(this.buf.length + data.length)
      merged.set(this.buf)
      merged.set(data, this.buf.length)
      this.buf = merged
      data = EMPTY
      while (this.skip === 0 && this.step()) {
        // Parse as far as the buffer goes.
      }
      if (this.skip > 0) {
        data = this.buf
        this.buf = EMPTY
      }
    }
  }

  /** One request answered at once (SetEncodings → QEMU's ack), in ms. */
  async roundTrip(): Promise<number> {
    const start = this.now()
    const done = new Promise<number>((resolve) => (this.frameWaiter = { done: resolve }))
    this.setEncodings([ENCODING_QEMU_EXT_KEY])
    return (await done) - start
  }

  /** Whole-screen Raw frames, requested one after another for `ms`. */
  async fullFrames(ms: number): Promise<FullFrames> {
    this.setEncodings([ENCODING_RAW])
    const start = this.now()
    const bytesBefore = this.received
    const latencies: number[] = []
    let frames = 0
    while (this.now() - start < ms) {
      const sent = this.now()
      const firstByte = new Promise<number>((resolve) => (this.firstByteWaiter = { done: resolve }))
      const frame = new Promise<number>((resolve) => (this.frameWaiter = { done: resolve }))
      this.request(false)
      latencies.push((await firstByte) - sent)
      await frame
      frames++
    }
    const seconds = (this.now() - start) / 1000
    return { frames, bytes: this.received - bytesBefore, seconds, latencies }
  }

  private setEncodings(encodings: number[]): void {
    // type u8 | padding u8 | count u16 | encodings s32[]
    const msg = new Uint8Array(4 + 4 * encodings.length)
    const view = new DataView(msg.buffer)
    msg[0] = MSG_SET_ENCODINGS
    view.setUint16(2, encodings.length)
    encodings.forEach((e, i) => view.setInt32(4 + 4 * i, e))
    this.send(msg)
  }

  private request(incremental: boolean): void {
    // type u8 | incremental u8 | x u16 | y u16 | width u16 | height u16
    const msg = new Uint8Array(10)
    const view = new DataView(msg.buffer)
    msg[0] = MSG_FB_UPDATE_REQUEST
    msg[1] = incremental ? 1 : 0
    view.setUint16(6, this.width)
    view.setUint16(8, this.height)
    this.send(msg)
  }

  /** Consumes one protocol element if complete; false when more bytes are needed. */
  private step(): boolean {
    const b = this.buf
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
    switch (this.stage) {
      case 'version': // "RFB 003.008\n"
        if (b.length < 12) return false
        this.consume(12)
        this.send(new TextEncoder().encode('RFB 003.008\n'))
        this.stage = 'security'
        return true
      case 'security': {
        // count u8 | types u8[count]; we pick None (1)
        if (b.length < 1 || b.length < 1 + b[0]!) return false
        if (b[0] === 0 || !b.subarray(1, 1 + b[0]!).includes(1)) {
          throw new Error('the VNC server wants authentication; the bench needs security None')
        }
        this.consume(1 + b[0]!)
        this.send(new Uint8Array([1]))
        this.stage = 'result'
        return true
      }
      case 'result': // SecurityResult u32, then ClientInit shared-flag u8
        if (b.length < 4) return false
        this.consume(4)
        this.send(new Uint8Array([1]))
        this.stage = 'init'
        return true
      case 'init': {
        // width u16 | height u16 | pixel format (16; bits-per-pixel first) | name-length u32 | name
        if (b.length < 24 || b.length < 24 + view.getUint32(20)) return false
        this.width = view.getUint16(0)
        this.height = view.getUint16(2)
        this.bytesPerPixel = b[4]! / 8
        this.consume(24 + view.getUint32(20))
        this.stage = 'message'
        this.readyResolve()
        return true
      }
      case 'message':
        return this.serverMessage(b, view)
      case 'rect': {
        // x u16 | y u16 | w u16 | h u16 | encoding s32, then Raw pixels (pseudo-encodings: none)
        if (b.length < 12) return false
        const pixels =
          view.getInt32(8) === ENCODING_RAW
            ? view.getUint16(4) * view.getUint16(6) * this.bytesPerPixel
            : 0
        this.consume(12)
        if (pixels > 0) this.skip = pixels
        else this.rectDone()
        return true
      }
    }
  }

  private serverMessage(b: Uint8Array, view: DataView): boolean {
    if (b.length < 1) return false
    switch (b[0]) {
      case 0: // FramebufferUpdate: type u8 | pad u8 | rectangle count u16
        if (b.length < 4) return false
        this.rectsLeft = view.getUint16(2)
        this.consume(4)
        if (this.rectsLeft === 0) this.frameDone()
        else this.stage = 'rect'
        return true
      case 2: // Bell
        this.consume(1)
        return true
      case 3: // ServerCutText: type u8 | pad u8[3] | length u32 | text
        if (b.length < 8 || b.length < 8 + view.getUint32(4)) return false
        this.consume(8 + view.getUint32(4))
        return true
      default:
        throw new Error(`unexpected server message ${b[0]}`)
    }
  }

  private rectDone(): void {
    if (--this.rectsLeft === 0) this.frameDone()
  }

  private frameDone(): void {
    this.stage = 'message'
    const w = this.frameWaiter
    this.frameWaiter = undefined
    w?.done(this.now())
  }

  private consume(n: number): void {
    this.buf = this.buf.slice(n)
  }
}
