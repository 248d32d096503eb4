/**
 * Packet layout (protocol README section 3). On the wire every packet is
 *
 *   length (4) | prog (4) | vers (4) | proc (4) | type (4) | serial (4) | status (4) | body
 *
 * all big-endian; `length` counts the whole packet including itself. The framer strips
 * the length word; this module reads and writes the 24-byte header that follows it.
 */
import { VIR_NET_MESSAGE_LEN_MAX, VIR_NET_MESSAGE_MAX } from '../protocol/generated/constants.gen'
import { XdrWriter } from '../xdr/writer'
import { NetMessageStatus, NetMessageType } from '../protocol/generated/virnet-types.gen'
import { ProtocolError } from './errors'

export { NetMessageStatus as MessageStatus, NetMessageType as MessageType }

/** Size of the length word. */
export const LENGTH_SIZE = VIR_NET_MESSAGE_LEN_MAX
/** Size of the header after the length word (virNetMessageHeader, six words). */
export const HEADER_SIZE = 24
/** Smallest legal length word: a header-only packet. */
export const MIN_PACKET = LENGTH_SIZE + HEADER_SIZE
/** Largest legal length word: VIR_NET_MESSAGE_MAX (header + body) plus the length word. */
export const MAX_PACKET = VIR_NET_MESSAGE_MAX + LENGTH_SIZE

/** The header of one packet (virNetMessageHeader). */
export interface PacketHeader {
  /** Program number (REMOTE_PROGRAM, KEEPALIVE_PROGRAM ...). */
  program: number
  /** Program version (1 for every program). */
  version: number
  /** Procedure number within the program. */
  procedure: number
  /** virNetMessageType: CALL, REPLY, MESSAGE, STREAM ... */
  type: number
  /** Call identifier chosen by the client; 1 on events, 0 on keepalive. */
  serial: number
  /** virNetMessageStatus: OK, ERROR, CONTINUE. */
  status: number
}

/** A packet without its length word: the header, and the body as a view of the frame. */
export interface Packet {
  header: PacketHeader
  body: Uint8Array
}

/**
 * Parses a frame (a packet without its length word, as the framer delivers it).
 * @throws ProtocolError if the frame is shorter than a header
 */
export function parsePacket(frame: Uint8Array): Packet {
  if (frame.byteLength < HEADER_SIZE) {
    throw new ProtocolError(`packet of ${frame.byteLength} bytes is shorter than its header`)
  }
  const v = new DataView(frame.buffer, frame.byteOffset, HEADER_SIZE)
  return {
    header: {
      program: v.getUint32(0), // prog: unsigned int
      version: v.getUint32(4), // vers: unsigned int
      procedure: v.getInt32(8), // proc: int
      type: v.getInt32(12), // type: enum virNetMessageType
      serial: v.getUint32(16), // serial: unsigned int
      status: v.getInt32(20), // status: enum virNetMessageStatus
    },
    body: frame.subarray(HEADER_SIZE),
  }
}

/** Writes a packet's length word (patched later) and header; returns where it started. */
export function beginPacket(w: XdrWriter, h: PacketHeader): number {
  const start = w.offset
  w.uint(0) // length: patched by endPacket
  w.uint(h.program)
  w.uint(h.version)
  w.int(h.procedure)
  w.int(h.type)
  w.uint(h.serial)
  w.int(h.status)
  return start
}

/** Patches the length word of the packet begun at `start` once its body is written. */
export function endPacket(w: XdrWriter, start: number): void {
  w.patchUint(start, w.offset - start)
}

/**
 * A writer sized for one packet at most: writing past VIR_NET_MESSAGE_MAX + 4 bytes is
 * an XdrError, so an oversized call fails locally instead of making the daemon drop us.
 */
export function packetWriter(): XdrWriter {
  return new XdrWriter({ initialSize: 4096, maxSize: MAX_PACKET })
}

/** Encodes a complete header-only packet (keepalive, stream finish/abort). */
export function encodeEmptyPacket(h: PacketHeader): Uint8Array {
  const w = new XdrWriter({ initialSize: MIN_PACKET })
  endPacket(w, beginPacket(w, h))
  return w.toBytes()
}
