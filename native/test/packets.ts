/**
 * Helpers for tests that play the daemon's side: parse what a client wrote, build the
 * packets a daemon would answer with.
 */
import { encodeRemoteError } from '../src/protocol/generated/remote-codecs.gen'
import type { RemoteError } from '../src/protocol/generated/remote-types.gen'
import { Framer } from '../src/rpc/framer'
import {
  beginPacket,
  endPacket,
  MessageStatus,
  MessageType,
  packetWriter,
  parsePacket,
  type Packet,
  type PacketHeader,
} from '../src/rpc/packet'
import type { XdrWriter } from '../src/xdr/writer'

/** Collects the packets a client writes. */
export class PacketSink {
  readonly packets: Packet[] = []
  private readonly framer = new Framer((frame) => this.packets.push(parsePacket(frame)))

  /** Pass as the client's `write`. */
  readonly write = (bytes: Uint8Array): void => this.framer.push(bytes)

  /** Removes and returns the packets collected so far. */
  take(): Packet[] {
    return this.packets.splice(0)
  }
}

/** A whole packet (with its length word). */
export function packet(header: PacketHeader, body?: (w: XdrWriter) => void): Uint8Array {
  const w = packetWriter()
  const start = beginPacket(w, header)
  body?.(w)
  endPacket(w, start)
  return w.toBytes()
}

/** The OK reply to `call`, with a body written by `body`. */
export function okReply(call: PacketHeader, body?: (w: XdrWriter) => void): Uint8Array {
  return packet({ ...call, type: MessageType.REPLY, status: MessageStatus.OK }, body)
}

/** A remote_error with the given code and message and everything else empty. */
export function remoteError(code: number, message: string, domain = 0): RemoteError {
  return {
    code,
    domain,
    message,
    level: 2,
    dom: null,
    str1: null,
    str2: null,
    str3: null,
    int1: -1,
    int2: -1,
    net: null,
  }
}

/** The ERROR reply to `call`. */
export function errorReply(call: PacketHeader, err: RemoteError): Uint8Array {
  return packet({ ...call, type: MessageType.REPLY, status: MessageStatus.ERROR }, (w) =>
    encodeRemoteError(w, err),
  )
}
