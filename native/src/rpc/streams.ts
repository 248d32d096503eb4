/**
 * A libvirt stream (protocol README section 13) as a Node Duplex.
 *
 * Life of a stream: the opening CALL is answered by a normal REPLY; then STREAM packets
 * with the call's serial flow (see stream-packets.ts for the layouts). It ends in one of
 * three ways:
 *   - finish: whoever runs out of data says so. The daemon's end of data is an empty
 *     CONTINUE; we then send OK and the daemon confirms with OK. Our end() sends OK at
 *     once and waits for the daemon's OK (for an upload that OK means "all written").
 *     The readable side ends, and end() completes, only after the daemon's OK: a failure
 *     the daemon reports while finishing is an 'error', not a silent end.
 *   - abort: we send ERROR with an empty body (destroy() or abort()); the daemon confirms
 *     with OK, which abort() waits for.
 *   - failure: the daemon sends ERROR with a remote_error (a VirtError on the stream), or
 *     the connection is lost (the ConnectionLostError on the stream).
 *
 * Backpressure. libvirt has no stream flow control: the daemon writes as fast as the
 * socket takes it, and the socket is shared with calls, events and keepalive.
 *   - Daemon -> us, default: a bounded buffer. Data waits in the readable buffer while the
 *     consumer is slow (Node's push() signal is honoured by consumers that pause us); past
 *     `maxBufferedBytes` the stream is aborted and fails with StreamOverflowError. We do
 *     not pause a shared socket: that would stall every call and event on the connection
 *     and stop us hearing the daemon's keepalive, so a slow console could kill the host's
 *     whole connection 30 s later.
 *   - Daemon -> us, with `flow` (a connection dedicated to this stream, e.g. a volume
 *     download): above the readable high-water mark we pause the transport, so TCP pushes
 *     back on the daemon; reading resumes when the consumer drains us. A consumer that
 *     stops reading for longer than the keepalive window (30 s by default) loses that
 *     connection: the paused socket hides the daemon's packets from our keepalive.
 *   - Us -> daemon: every write is cut into packets of at most 262120 bytes and handed to
 *     the connection at once. With `flow`, the write callback waits until the transport's
 *     queue drains below the writable high-water mark, so a producer piped into us (an
 *     upload) is held back by the socket; without it, write() completes when queued.
 *
 * Sparse streams (`sparse: true`, for volume transfers opened with the sparse flag): both
 * sides are in object mode and carry {@link SparseChunk}s in order, `{ data: Buffer }` or
 * `{ hole: n }` (n bytes of zeros that travel as one STREAM_HOLE packet). Writes also take
 * plain bytes. High-water marks and `maxBufferedBytes` are then counted in packets of at
 * most 262120 bytes (a bound on the bytes held, not an exact count). On any other stream a
 * STREAM_HOLE fails the stream with a ProtocolError.
 */
import { Duplex } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { Disposable } from '../util/disposable'
import type { RpcClient, StreamPacketHandler } from './client'
import { ProtocolError, type ConnectionLostError } from './errors'
import type { Packet } from './packet'
import { procedureName } from './procedure-names'
import { asBuffer, isHole, toSparseChunk, type SparseChunk } from './sparse-chunk'
import {
  encodeStreamAbort,
  encodeStreamData,
  encodeStreamFinish,
  encodeStreamHole,
  parseStreamPacket,
  STREAM_CHUNK_MAX,
  streamChunks,
  type StreamId,
  type StreamPacketEvent,
} from './stream-packets'
import { StreamClosedError, StreamOverflowError } from './stream-errors'

/** Which way data flows: daemon to us (`read`), us to daemon (`write`), or both. */
export type StreamDirection = 'read' | 'write' | 'both'

/** Pause/resume and drain of a transport that carries nothing but one stream. */
export interface StreamFlowControl {
  /** Stop reading from the transport (TCP then pushes back on the daemon). */
  pause(): void
  /** Start reading again. */
  resume(): void
  /** Bytes queued for the peer that the OS has not taken yet. */
  readonly writableLength: number
  /** Calls `callback` once, when the queued bytes have drained. */
  onceDrain(callback: () => void): void
}

/** {@link StreamFlowControl} over the socket (or SSH channel) a dedicated transport wraps. */
export function duplexFlowControl(d: Duplex): StreamFlowControl {
  return {
    pause: () => d.pause(),
    resume: () => d.resume(),
    get writableLength() {
      return d.writableLength
    },
    onceDrain: (callback) => {
      if (d.writableLength === 0 || d.destroyed) queueMicrotask(callback)
      else {
        const done = (): void => {
          d.off('drain', done)
          d.off('close', done)
          callback()
        }
        d.on('drain', done)
        d.on('close', done)
      }
    },
  }
}

/** Options of a stream. */
export interface StreamOptions {
  /**
   * Bytes the readable side may hold for a slow consumer before the stream is aborted
   * with StreamOverflowError (ignored with `flow`). Default 16 MiB.
   */
  maxBufferedBytes?: number
  /** Flow control of a transport dedicated to this stream (see the module comment). */
  flow?: StreamFlowControl
  /** Readable high-water mark in bytes (Node's signal to consumers). Default 256 KiB. */
  readableHighWaterMark?: number
  /** Writable high-water mark in bytes. Default 256 KiB. */
  writableHighWaterMark?: number
  /**
   * Carry {@link SparseChunk}s (data and holes, object mode) instead of bytes; only for a
   * call opened with its sparse flag. Default false.
   */
  sparse?: boolean
}

const DEFAULT_MAX_BUFFERED = 16 << 20
const DEFAULT_HIGH_WATER = 256 << 10
/** How long abort() waits for the daemon's confirmation. */
const ABORT_CONFIRM_MS = 5000

/** A byte high-water mark as a count of packets (object mode), at least one. */
function packetsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / STREAM_CHUNK_MAX))
}

/**
 * `open`: data flows. `finishing`: OK sent, waiting for the daemon's OK. `aborting`: ERROR
 * sent, waiting for its OK. `closed`: nothing more will be sent or accepted.
 */
type Phase = 'open' | 'finishing' | 'aborting' | 'closed'

/** One libvirt stream. Created by openStream (open-stream.ts); see the module comment. */
export class VirStream extends Duplex {
  /** The procedure that opened it, e.g. REMOTE_PROC_DOMAIN_OPEN_CONSOLE. */
  readonly procedure: string
  private phase: Phase = 'open'
  private route: Disposable | null = null
  private finalCallback: ((err?: Error | null) => void) | null = null
  private readonly abortWaiters: (() => void)[] = []
  private abortTimer: ReturnType<typeof setTimeout> | undefined
  private flowPaused = false
  private readonly maxBuffered: number
  private readonly writeHighWaterBytes: number
  /** Whether this stream carries SparseChunks (see {@link StreamOptions.sparse}). */
  readonly sparse: boolean

  /** Use openStream (open-stream.ts), which attaches it to its call's serial. */
  constructor(
    private readonly rpc: Pick<RpcClient, 'send' | 'onStream'>,
    readonly id: StreamId,
    readonly direction: StreamDirection,
    private readonly options: StreamOptions = {},
  ) {
    const sparse = options.sparse === true
    const readMark = options.readableHighWaterMark ?? DEFAULT_HIGH_WATER
    const writeMark = options.writableHighWaterMark ?? DEFAULT_HIGH_WATER
    super({
      allowHalfOpen: false,
      readableObjectMode: sparse,
      writableObjectMode: sparse,
      readableHighWaterMark: sparse ? packetsFor(readMark) : readMark,
      writableHighWaterMark: sparse ? packetsFor(writeMark) : writeMark,
    })
    this.sparse = sparse
    this.procedure = procedureName(id.program, id.procedure)
    this.maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED
    this.writeHighWaterBytes = writeMark
    // Nothing will ever be read from an upload; flowing lets 'end' fire after the finish.
    if (direction === 'write') this.resume()
  }

  /** Starts receiving this stream's packets (before the opening call can be answered). */
  attach(): void {
    const handler: StreamPacketHandler = {
      packet: (p) => this.onPacket(p),
      lost: (err) => this.onLost(err),
    }
    this.route = this.rpc.onStream(this.id.serial, handler)
  }

  /** Whether the daemon's side is done (finished, aborted or failed). */
  get isClosed(): boolean {
    return this.phase === 'closed'
  }

  /**
   * Ends our side and resolves once the daemon has confirmed (for an upload: everything
   * is written). Rejects with the daemon's VirtError or the connection loss.
   */
  async finish(): Promise<void> {
    if (!this.writableEnded) this.end()
    await finished(this, { readable: false })
  }

  /**
   * Aborts (STREAM/ERROR) and destroys the stream without an error; resolves when the
   * daemon has confirmed, the connection is gone, or after 5 s.
   */
  abort(): Promise<void> {
    if (this.phase === 'closed') {
      this.destroy()
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      this.abortWaiters.push(resolve)
      if (this.phase !== 'aborting') this.sendAbort()
      this.destroy()
    })
  }

  /** Drops a stream whose opening call failed: nothing is sent, nothing is emitted. */
  discard(): void {
    this.markClosed()
    this.destroy()
  }

  override _read(): void {
    if (this.flowPaused) {
      this.flowPaused = false
      this.options.flow?.resume()
    }
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (e?: Error) => void): void {
    if (this.direction === 'read') {
      callback(new StreamClosedError(this.procedure, 'this stream only carries data to us'))
      return
    }
    if (this.phase !== 'open') {
      callback(new StreamClosedError(this.procedure, `the stream is ${this.phase}`))
      return
    }
    let item: SparseChunk
    try {
      item = this.sparse ? toSparseChunk(chunk) : { data: chunk as Buffer }
    } catch (err) {
      callback(err as Error)
      return
    }
    if (!isHole(item)) {
      for (const piece of streamChunks(item.data)) this.rpc.send(encodeStreamData(this.id, piece))
    } else if (item.hole > 0) {
      this.rpc.send(encodeStreamHole(this.id, BigInt(item.hole)))
    }
    const flow = this.options.flow
    if (flow && flow.writableLength > this.writeHighWaterBytes) flow.onceDrain(() => callback())
    else callback()
  }

  override _final(callback: (err?: Error | null) => void): void {
    if (this.phase === 'closed') {
      callback()
      return
    }
    this.finalCallback = callback
    // A download ends when the daemon says so; only an upload or a duplex finishes early.
    if (this.phase === 'open' && this.direction !== 'read') this.sendFinish()
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (this.phase === 'open' || this.phase === 'finishing') this.sendAbort()
    if (this.phase !== 'aborting') this.markClosed()
    this.finalCallback = null
    if (this.flowPaused) {
      this.flowPaused = false
      this.options.flow?.resume()
    }
    callback(err)
  }

  private onPacket(p: Packet): void {
    let ev: StreamPacketEvent
    try {
      ev = parseStreamPacket(p, this.procedure)
    } catch (err) {
      this.fail(err as Error)
      return
    }
    switch (ev.kind) {
      case 'data':
        this.onData(ev.bytes)
        return
      case 'eof':
        // The daemon has no more data: finish (OK); the readable side ends on its OK.
        if (this.phase === 'open') this.sendFinish()
        return
      case 'ok':
        this.onConfirmed()
        return
      case 'error':
        if (this.phase === 'aborting') this.markClosed()
        else this.fail(ev.error, false)
        return
      case 'hole':
        this.onHole(ev.length)
        return
    }
  }

  private onData(bytes: Uint8Array): void {
    if (this.phase !== 'open' && this.phase !== 'finishing') return
    if (this.direction === 'write') {
      this.fail(new ProtocolError(`${this.procedure}: data from the daemon on an upload`))
      return
    }
    this.deliver(this.sparse ? { data: asBuffer(bytes) } : bytes)
  }

  /** STREAM_HOLE: only a sparse download carries them. */
  private onHole(length: bigint): void {
    if (this.phase !== 'open' && this.phase !== 'finishing') return
    if (!this.sparse || this.direction === 'write') {
      this.fail(new ProtocolError(`${this.procedure}: STREAM_HOLE on a stream that takes none`))
      return
    }
    if (length > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.fail(new ProtocolError(`${this.procedure}: hole of ${length} bytes`))
      return
    }
    if (length > 0n) this.deliver({ hole: Number(length) })
  }

  /** Hands an item to the reader; pauses the transport or enforces the bound when it lags. */
  private deliver(item: Uint8Array | SparseChunk): void {
    if (this.push(item)) return
    const flow = this.options.flow
    if (flow) {
      if (!this.flowPaused) {
        this.flowPaused = true
        flow.pause()
      }
      return
    }
    // In object mode readableLength counts items; each holds at most one packet's bytes.
    const held = this.sparse ? this.readableLength * STREAM_CHUNK_MAX : this.readableLength
    if (held > this.maxBuffered)
      this.fail(new StreamOverflowError(this.procedure, this.maxBuffered))
  }

  /** The daemon's STREAM/OK: our finish or abort is confirmed; the stream is over. */
  private onConfirmed(): void {
    const wasAborting = this.phase === 'aborting'
    this.markClosed()
    if (wasAborting || this.destroyed) return
    this.push(null)
    const cb = this.finalCallback
    this.finalCallback = null
    cb?.()
  }

  private onLost(err: ConnectionLostError): void {
    this.route = null // the client has dropped every route already
    const quiet = this.phase === 'aborting'
    this.markClosed()
    if (!quiet && !this.destroyed) this.destroy(err)
  }

  /** Fails the stream: aborts it on the daemon unless it failed it, then destroys. */
  private fail(err: Error, sendAbort = true): void {
    if (sendAbort && (this.phase === 'open' || this.phase === 'finishing')) this.sendAbort()
    this.markClosed()
    if (!this.destroyed) this.destroy(err)
  }

  private sendFinish(): void {
    this.phase = 'finishing'
    this.rpc.send(encodeStreamFinish(this.id))
  }

  /** Sends ERROR; the route stays until the daemon confirms (or 5 s, or connection loss). */
  private sendAbort(): void {
    this.phase = 'aborting'
    this.rpc.send(encodeStreamAbort(this.id))
    this.abortTimer = setTimeout(() => this.markClosed(), ABORT_CONFIRM_MS)
    this.abortTimer.unref()
  }

  /** Nothing more goes either way: drop the route, release abort() waiters and timers. */
  private markClosed(): void {
    this.phase = 'closed'
    this.route?.dispose()
    this.route = null
    if (this.abortTimer !== undefined) clearTimeout(this.abortTimer)
    this.abortTimer = undefined
    for (const resolve of this.abortWaiters.splice(0)) resolve()
  }
}
