/**
 * Stream packets (protocol README section 13), no I/O. A stream reuses the program,
 * version, procedure and serial of the call that opened it:
 *
 *   length (4) | prog (4) | vers (4) | proc (4) | type (4) | serial (4) | status (4) | body
 *
 *   type 3 STREAM,      status 2 CONTINUE, body = raw bytes   data (no XDR length, no padding)
 *   type 3 STREAM,      status 2 CONTINUE, body empty         end of data from the sender
 *   type 3 STREAM,      status 0 OK,       body empty         finish (client) / confirmed (daemon)
 *   type 3 STREAM,      status 1 ERROR,    body empty         abort (client)
 *   type 3 STREAM,      status 1 ERROR,    body remote_error  the daemon failed the stream
 *   type 6 STREAM_HOLE, status 2 CONTINUE, body virNetStreamHole {hyper length; unsigned flags}
 *
 * Data packets carry at most VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX (262120) bytes: the daemon
 * sends chunks of exactly that size and libvirt's own client never sends larger ones.
 */
import { Buffer } from 'node:buffer'
import { VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX } from '../protocol/generated/constants.gen'
import { decodeRemoteError } from '../protocol/generated/remote-codecs.gen'
import { decodeNetStreamHole } from '../protocol/generated/virnet-codecs.gen'
import { XdrReader } from '../xdr/reader'
import { XdrWriter } from '../xdr/writer'
import { ProtocolError, VirtError } from './errors'
import { HEADER_SIZE, LENGTH_SIZE, MessageStatus, MessageType, type Packet } from './packet'

/** Largest data payload of one STREAM packet (VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX). */
export const STREAM_CHUNK_MAX = VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX

/** What identifies a stream on the wire: its call's program, version, procedure, serial. */
export interface StreamId {
  program: number
  version: number
  procedure: number
  serial: number
}

/** One stream packet from the daemon, classified. */
export type StreamPacketEvent =
  /** STREAM/CONTINUE with bytes. `bytes` is a view of the received frame (safe to keep). */
  | { kind: 'data'; bytes: Uint8Array }
  /** STREAM/CONTINUE with an empty body: the sender has no more data. */
  | { kind: 'eof' }
  /** STREAM/OK: the daemon confirms our finish (or our abort). */
  | { kind: 'ok' }
  /** STREAM/ERROR: the daemon failed the stream; decoded from remote_error when present. */
  | { kind: 'error'; error: VirtError | ProtocolError }
  /** STREAM_HOLE: `length` bytes of zeros the receiver should skip (sparse streams). */
  | { kind: 'hole'; length: bigint; flags: number }

/**
 * Classifies one STREAM / STREAM_HOLE packet of a stream.
 * @param procedure the stream's procedure name, for error messages
 * @throws ProtocolError for a packet that is not a legal stream packet
 */
export function parseStreamPacket(packet: Packet, procedure: string): StreamPacketEvent {
  const { type, status } = packet.header
  const body = packet.body
  if (type === MessageType.STREAM_HOLE) {
    if (status !== MessageStatus.CONTINUE) {
      throw new ProtocolError(`${procedure}: STREAM_HOLE with status ${status}`)
    }
    let hole: { length: bigint; flags: number }
    try {
      // virNetStreamHole: length hyper (8), flags unsigned int (4)
      const r = new XdrReader(body)
      hole = decodeNetStreamHole(r)
      r.expectEnd()
    } catch (err) {
      throw new ProtocolError(`${procedure}: bad STREAM_HOLE body`, err)
    }
    if (hole.length < 0n) throw new ProtocolError(`${procedure}: hole of ${hole.length} bytes`)
    return { kind: 'hole', length: hole.length, flags: hole.flags }
  }
  if (type !== MessageType.STREAM) {
    throw new ProtocolError(`${procedure}: message type ${type} is not a stream packet`)
  }
  switch (status) {
    case MessageStatus.CONTINUE:
      return body.byteLength === 0 ? { kind: 'eof' } : { kind: 'data', bytes: body }
    case MessageStatus.OK:
      return { kind: 'ok' }
    case MessageStatus.ERROR:
      return { kind: 'error', error: streamError(body, procedure) }
    default:
      throw new ProtocolError(`${procedure}: stream packet with status ${status}`)
  }
}

/** The body of STREAM/ERROR: a remote_error (empty only if the peer aborted without one). */
function streamError(body: Uint8Array, procedure: string): VirtError | ProtocolError {
  if (body.byteLength === 0) return new ProtocolError(`${procedure}: stream aborted by the daemon`)
  try {
    const r = new XdrReader(body)
    const err = decodeRemoteError(r)
    r.expectEnd()
    return new VirtError(err, procedure)
  } catch (cause) {
    return new ProtocolError(`${procedure}: undecodable stream error`, cause)
  }
}

/** Writes length word and header into the first 28 bytes of `out`. */
function writeHeader(out: Uint8Array, id: StreamId, type: number, status: number): void {
  const v = new DataView(out.buffer, out.byteOffset, LENGTH_SIZE + HEADER_SIZE)
  v.setUint32(0, out.byteLength) // length: the whole packet, counting itself
  v.setUint32(4, id.program) // prog
  v.setUint32(8, id.version) // vers
  v.setInt32(12, id.procedure) // proc
  v.setInt32(16, type) // type: STREAM / STREAM_HOLE
  v.setUint32(20, id.serial) // serial: the opening call's
  v.setInt32(24, status) // status
}

/**
 * One STREAM/CONTINUE packet carrying `data` raw (at most {@link STREAM_CHUNK_MAX} bytes;
 * an empty `data` is the end-of-data marker).
 */
export function encodeStreamData(id: StreamId, data: Uint8Array): Uint8Array {
  if (data.byteLength > STREAM_CHUNK_MAX) {
    throw new RangeError(`stream chunk of ${data.byteLength} bytes exceeds ${STREAM_CHUNK_MAX}`)
  }
  const out = Buffer.allocUnsafe(LENGTH_SIZE + HEADER_SIZE + data.byteLength)
  writeHeader(out, id, MessageType.STREAM, MessageStatus.CONTINUE)
  out.set(data, LENGTH_SIZE + HEADER_SIZE)
  return out
}

/** STREAM/OK, empty: finish (we have sent everything; confirm and close). */
export function encodeStreamFinish(id: StreamId): Uint8Array {
  const out = Buffer.alloc(LENGTH_SIZE + HEADER_SIZE)
  writeHeader(out, id, MessageType.STREAM, MessageStatus.OK)
  return out
}

/** STREAM/ERROR, empty: abort. */
export function encodeStreamAbort(id: StreamId): Uint8Array {
  const out = Buffer.alloc(LENGTH_SIZE + HEADER_SIZE)
  writeHeader(out, id, MessageType.STREAM, MessageStatus.ERROR)
  return out
}

/** STREAM_HOLE/CONTINUE: skip `length` bytes (sparse uploads; the call needs the sparse flag). */
export function encodeStreamHole(id: StreamId, length: bigint, flags = 0): Uint8Array {
  const w = new XdrWriter({ initialSize: 12 })
  w.hyper(length) // virNetStreamHole.length
  w.uint(flags) // virNetStreamHole.flags
  const body = w.written()
  const out = Buffer.allocUnsafe(LENGTH_SIZE + HEADER_SIZE + body.byteLength)
  writeHeader(out, id, MessageType.STREAM_HOLE, MessageStatus.CONTINUE)
  out.set(body, LENGTH_SIZE + HEADER_SIZE)
  return out
}

/** Splits `data` into views of at most {@link STREAM_CHUNK_MAX} bytes. */
export function* streamChunks(data: Uint8Array): Generator<Uint8Array> {
  for (let off = 0; off < data.byteLength; off += STREAM_CHUNK_MAX) {
    yield data.subarray(off, Math.min(off + STREAM_CHUNK_MAX, data.byteLength))
  }
}
