/**
 * The RPC engine: serials, calls in flight, reply matching, routing of events and stream
 * packets, and failing everything at once when the connection goes.
 *
 * No I/O (convention 2): bytes arrive through {@link RpcClient.receive} and leave through
 * the `write` callback; the owner tells the client when the transport closes.
 *
 *   const rpc = new RpcClient({ write: (b) => t.write(b), destroy: (e) => t.destroy(e) })
 *   t.onData((b) => rpc.receive(b)); t.onClose((why, e) => rpc.connectionLost(why, e))
 */
import { KEEPALIVE_PROGRAM } from '../protocol/generated/constants.gen'
import { decodeRemoteError } from '../protocol/generated/remote-codecs.gen'
import type { Decoder, Encoder } from '../xdr/codecs'
import { XdrReader } from '../xdr/reader'
import type { XdrWriter } from '../xdr/writer'
import { Listeners, toDisposable, type Disposable } from '../util/disposable'
import type { CallOptions, RpcCaller } from './caller'
import {
  ConnectionLostError,
  isUnknownProcedureReply,
  ProtocolError,
  RpcTimeoutError,
  UnsupportedProcedureError,
  VirtError,
} from './errors'
import { Framer } from './framer'
import {
  beginPacket,
  endPacket,
  MessageStatus,
  MessageType,
  packetWriter,
  parsePacket,
  type Packet,
  type PacketHeader,
} from './packet'
import { procedureName } from './procedure-names'

/** How the client reaches its transport. */
export interface RpcClientOptions {
  /** Sends bytes to the peer. Must not reuse the buffer it is given. */
  write(bytes: Uint8Array): void
  /** Closes the transport; called when the client gives up (protocol error, keepalive). */
  destroy?(cause: Error): void
  /** Deadline for calls that do not set `timeoutMs` (default: none). */
  defaultTimeoutMs?: number
}

/** Receives the STREAM / STREAM_HOLE packets of one call (the hook streams build on). */
export interface StreamPacketHandler {
  /** A stream packet with this handler's serial arrived. */
  packet(packet: Packet): void
  /** The connection was lost; no more packets will come. */
  lost(err: ConnectionLostError): void
}

/** A call in flight. */
interface Pending {
  readonly program: number
  readonly version: number
  readonly procedure: number
  readonly decode: Decoder<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (err: unknown) => void
  /** Rejected locally (abort or deadline): the reply is still expected, and dropped. */
  abandoned: boolean
  timer: ReturnType<typeof setTimeout> | undefined
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

/** A call that has been sent: its serial (to attach a stream) and its reply. */
export interface StartedCall<R> {
  serial: number
  reply: Promise<R>
}

const SHRINK_WRITER_ABOVE = 1 << 20
/**
 * One writer for every client: encoding is synchronous and copies its result out, so no
 * two encodes ever share it, and a connection costs no buffer of its own.
 */
let sharedWriter: XdrWriter = packetWriter()

/** Many calls in flight on one connection, replies matched by serial in any order. */
export class RpcClient implements RpcCaller {
  private readonly pending = new Map<number, Pending>()
  private readonly messageRoutes = new Map<string, Listeners<[Packet]>>()
  private readonly streamRoutes = new Map<number, StreamPacketHandler>()
  private readonly closeListeners = new Listeners<[ConnectionLostError]>()
  private readonly framer = new Framer((frame) => this.onFrame(frame))
  private nextSerial = 1
  private lost: ConnectionLostError | null = null
  private received = 0
  private unmatched = 0

  constructor(private readonly options: RpcClientOptions) {}

  /** Whether the connection is gone (every later call rejects at once). */
  get closed(): boolean {
    return this.lost !== null
  }

  /** Calls waiting for a reply, including abandoned ones whose late reply is still due. */
  get pendingCount(): number {
    return this.pending.size
  }

  /** Streams attached to this connection and not yet closed (for leak checks). */
  get streamCount(): number {
    return this.streamRoutes.size
  }

  /** Packets received so far (keepalive watches this to see that the peer is alive). */
  get packetsReceived(): number {
    return this.received
  }

  /** Replies whose serial matched no call (should stay 0). */
  get unmatchedReplies(): number {
    return this.unmatched
  }

  /** Sends a CALL and resolves with the decoded REPLY body. See {@link RpcCaller.call}. */
  call<A, R>(
    program: number,
    version: number,
    procedure: number,
    args: A,
    encodeArgs: Encoder<A>,
    decodeRet: Decoder<R>,
    options?: CallOptions,
  ): Promise<R> {
    return this.startCall(program, version, procedure, args, encodeArgs, decodeRet, options).reply
  }

  /**
   * Like {@link call}, but also returns the serial at once, so that a stream handler can
   * be attached before any packet of the call can arrive.
   */
  startCall<A, R>(
    program: number,
    version: number,
    procedure: number,
    args: A,
    encodeArgs: Encoder<A>,
    decodeRet: Decoder<R>,
    options: CallOptions = {},
  ): StartedCall<R> {
    if (this.lost) return { serial: 0, reply: Promise.reject(this.lost) }
    const { signal } = options
    if (signal?.aborted) return { serial: 0, reply: Promise.reject(abortReason(signal)) }
    const serial = this.allocateSerial()
    let bytes: Uint8Array
    try {
      bytes = this.encode({ program, version, procedure, type: 0, serial, status: 0 }, (w) =>
        encodeArgs(w, args),
      )
    } catch (err) {
      return { serial, reply: Promise.reject(err) }
    }
    const reply = new Promise<R>((resolve, reject) => {
      const p: Pending = {
        program,
        version,
        procedure,
        decode: decodeRet,
        resolve: resolve as (v: unknown) => void,
        reject,
        abandoned: false,
        timer: undefined,
        signal,
        onAbort: undefined,
      }
      this.pending.set(serial, p)
      const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs
      if (timeoutMs !== undefined && timeoutMs > 0) {
        p.timer = setTimeout(() => {
          this.abandon(serial, new RpcTimeoutError(procedureName(program, procedure), timeoutMs))
        }, timeoutMs)
      }
      if (signal) {
        p.onAbort = () => this.abandon(serial, abortReason(signal))
        signal.addEventListener('abort', p.onAbort, { once: true })
      }
    })
    this.send(bytes)
    return { serial, reply }
  }

  /**
   * Encodes one packet: header, then the body written by `body`, then the length word.
   * @throws XdrError if a value does not fit its declaration or the packet is too large
   */
  encode(header: PacketHeader, body?: (w: XdrWriter) => void): Uint8Array {
    const w = sharedWriter
    w.reset()
    try {
      const start = beginPacket(w, header)
      body?.(w)
      endPacket(w, start)
      return w.toBytes()
    } finally {
      if (w.capacity > SHRINK_WRITER_ABOVE) sharedWriter = packetWriter()
    }
  }

  /** Writes an encoded packet (keepalive, stream data). Dropped once the connection is gone. */
  send(bytes: Uint8Array): void {
    if (this.lost) return
    try {
      this.options.write(bytes)
    } catch (err) {
      this.fail(new ConnectionLostError('write failed', err))
    }
  }

  /** Feeds bytes received from the transport. */
  receive(chunk: Uint8Array): void {
    if (this.lost) return
    try {
      this.framer.push(chunk)
    } catch (err) {
      const pe = err instanceof ProtocolError ? err : new ProtocolError(String(err), err)
      this.fail(new ConnectionLostError(`protocol error: ${pe.message}`, pe))
    }
  }

  /**
   * Routes MESSAGE packets of (program, procedure) — events and keepalive — to `handler`.
   * The handler gets the packet; its body is the event's `msg` struct.
   */
  onMessage(program: number, procedure: number, handler: (packet: Packet) => void): Disposable {
    const key = `${program}:${procedure}`
    let set = this.messageRoutes.get(key)
    if (!set) this.messageRoutes.set(key, (set = new Listeners()))
    const sub = set.add(handler)
    return toDisposable(() => {
      sub.dispose()
      if (set.size === 0 && this.messageRoutes.get(key) === set) this.messageRoutes.delete(key)
    })
  }

  /** Routes the STREAM / STREAM_HOLE packets of call `serial` to `handler`. */
  onStream(serial: number, handler: StreamPacketHandler): Disposable {
    if (this.streamRoutes.has(serial)) throw new Error(`serial ${serial} already has a stream`)
    this.streamRoutes.set(serial, handler)
    return toDisposable(() => {
      if (this.streamRoutes.get(serial) === handler) this.streamRoutes.delete(serial)
    })
  }

  /** Called once when the connection is lost or closed. */
  onClose(listener: (err: ConnectionLostError) => void): Disposable {
    if (this.lost) {
      const err = this.lost
      queueMicrotask(() => listener(err))
      return toDisposable(() => {})
    }
    return this.closeListeners.add(listener)
  }

  /** The transport closed: fail everything in flight. */
  connectionLost(reason: string, cause?: unknown): void {
    this.fail(new ConnectionLostError(reason, cause))
  }

  /** Closes from our side: fails everything in flight and asks the transport to close. */
  close(reason = 'closed by the client'): void {
    this.fail(new ConnectionLostError(reason))
  }

  /** Rejects every pending call, stream and subscription with `err`, once. */
  fail(err: ConnectionLostError): void {
    if (this.lost) return
    this.lost = err
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const p of pending) {
      if (p.abandoned) continue
      this.settle(p)
      p.reject(err)
    }
    const streams = [...this.streamRoutes.values()]
    this.streamRoutes.clear()
    for (const s of streams) s.lost(err)
    this.messageRoutes.clear()
    this.options.destroy?.(err)
    this.closeListeners.fire(err)
    this.closeListeners.clear()
  }

  private allocateSerial(): number {
    let s = this.nextSerial
    while (this.pending.has(s)) s = s === 0xffff_ffff ? 1 : s + 1
    this.nextSerial = s === 0xffff_ffff ? 1 : s + 1
    return s
  }

  /** Rejects a call locally but keeps its serial, so the late reply is recognised and dropped. */
  private abandon(serial: number, err: unknown): void {
    const p = this.pending.get(serial)
    if (!p || p.abandoned) return
    p.abandoned = true
    this.settle(p)
    p.reject(err)
  }

  /** Clears a pending call's deadline and abort listener. */
  private settle(p: Pending): void {
    if (p.timer !== undefined) clearTimeout(p.timer)
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort)
    p.timer = undefined
    p.onAbort = undefined
  }

  private onFrame(frame: Uint8Array): void {
    this.received++
    const packet = parsePacket(frame)
    const h = packet.header
    if (h.program === KEEPALIVE_PROGRAM) {
      // Keepalive is routed by program before anything else: serial 0, never a reply.
      this.routeMessage(packet)
      return
    }
    switch (h.type) {
      case MessageType.REPLY:
        this.onReply(packet)
        return
      case MessageType.MESSAGE:
        // Events carry serial 1: route by (program, procedure), never by serial.
        this.routeMessage(packet)
        return
      case MessageType.STREAM:
      case MessageType.STREAM_HOLE:
        this.streamRoutes.get(h.serial)?.packet(packet)
        return
      case MessageType.REPLY_WITH_FDS:
        // The descriptors follow out of band as extra bytes we cannot take apart.
        throw new ProtocolError(
          `${procedureName(h.program, h.procedure)}: reply with file descriptors`,
        )
      default:
        throw new ProtocolError(`unexpected message type ${h.type} from the daemon`)
    }
  }

  private routeMessage(packet: Packet): void {
    const h = packet.header
    this.messageRoutes.get(`${h.program}:${h.procedure}`)?.fire(packet)
  }

  private onReply(packet: Packet): void {
    const h = packet.header
    const p = this.pending.get(h.serial)
    if (!p) {
      this.unmatched++
      return
    }
    if (p.program !== h.program || p.version !== h.version || p.procedure !== h.procedure) {
      throw new ProtocolError(
        `reply for serial ${h.serial} is ${procedureName(h.program, h.procedure)}, ` +
          `expected ${procedureName(p.program, p.procedure)}`,
      )
    }
    this.pending.delete(h.serial)
    if (p.abandoned) return
    this.settle(p)
    const r = new XdrReader(packet.body)
    if (h.status === MessageStatus.OK) {
      let value: unknown
      try {
        value = p.decode(r)
        r.expectEnd()
      } catch (err) {
        p.reject(err)
        return
      }
      p.resolve(value)
    } else if (h.status === MessageStatus.ERROR) {
      p.reject(this.replyError(p, r))
    } else {
      p.reject(new ProtocolError(`reply with status ${h.status}`))
    }
  }

  /** remote_error -> VirtError (or UnsupportedProcedureError for "unknown procedure"). */
  private replyError(p: Pending, r: XdrReader): Error {
    const name = procedureName(p.program, p.procedure)
    let err: VirtError
    try {
      err = new VirtError(decodeRemoteError(r), name)
    } catch (cause) {
      return new ProtocolError(`${name}: undecodable error reply`, cause)
    }
    if (isUnknownProcedureReply(err)) {
      return new UnsupportedProcedureError(
        p.program,
        p.procedure,
        name,
        'the daemon does not know it',
        err,
      )
    }
    return err
  }
}

/** The error an aborted call rejects with: the signal's reason, or an AbortError. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError')
}
