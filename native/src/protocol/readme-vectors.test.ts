import { describe, expect, it } from 'vitest'
import { formatUuid } from '../api/format'
import { toHex } from '../../test/vectors/hex'
import {
  CONNECT_OPEN_CALL,
  CONNECT_OPEN_REPLY,
  KEEPALIVE_PING,
  LIFECYCLE_EVENT,
  LIST_ALL_DOMAINS_CALL,
  LIST_ALL_DOMAINS_REPLY,
  LOOKUP_ERROR_REPLY,
  LOOKUP_ERROR_TEXT,
  STREAM_HOLE,
} from '../../test/vectors/readme-packets'
import { PING_PACKET } from '../rpc/keepalive'
import { beginPacket, endPacket, MessageType, packetWriter, parsePacket } from '../rpc/packet'
import { XdrReader } from '../xdr/reader'
import type { XdrWriter } from '../xdr/writer'
import { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION } from './generated/constants.gen'
import { remoteEventDecoders } from './generated/remote-calls.gen'
import {
  decodeConnectListAllDomainsArgs,
  decodeConnectListAllDomainsRet,
  decodeConnectOpenArgs,
  decodeNodeGetInfoRet,
  decodeRemoteError,
  encodeConnectListAllDomainsArgs,
  encodeConnectListAllDomainsRet,
  encodeConnectOpenArgs,
  encodeNodeGetInfoRet,
  encodeRemoteError,
} from './generated/remote-codecs.gen'
import { RemoteProcedure } from './generated/remote-types.gen'
import { decodeNetStreamHole } from './generated/virnet-codecs.gen'

/** The body of a whole packet (length word included) as a reader. */
function body(packet: Uint8Array): XdrReader {
  expect(new DataView(packet.buffer, packet.byteOffset).getUint32(0)).toBe(packet.byteLength)
  return new XdrReader(parsePacket(packet.subarray(4)).body)
}

/** Encodes a whole CALL packet like the client does. */
function callPacket(procedure: number, serial: number, enc: (w: XdrWriter) => void): Uint8Array {
  const w = packetWriter()
  const start = beginPacket(w, {
    program: REMOTE_PROGRAM,
    version: REMOTE_PROTOCOL_VERSION,
    procedure,
    type: MessageType.CALL,
    serial,
    status: 0,
  })
  enc(w)
  endPacket(w, start)
  return w.toBytes()
}

describe('real packets from the protocol README', () => {
  it('CONNECT_OPEN call: we encode exactly the captured bytes', () => {
    const args = { name: 'qemu:///system', flags: 0 }
    const ours = callPacket(RemoteProcedure.CONNECT_OPEN, 3, (w) => encodeConnectOpenArgs(w, args))
    expect(toHex(ours)).toBe(toHex(CONNECT_OPEN_CALL))
    const r = body(CONNECT_OPEN_CALL)
    expect(decodeConnectOpenArgs(r)).toEqual(args)
    r.expectEnd()
  })

  it('CONNECT_OPEN reply: header only', () => {
    const p = parsePacket(CONNECT_OPEN_REPLY.subarray(4))
    expect(p.header).toEqual({
      program: REMOTE_PROGRAM,
      version: 1,
      procedure: 1,
      type: MessageType.REPLY,
      serial: 3,
      status: 0,
    })
    expect(p.body.byteLength).toBe(0)
  })

  it('CONNECT_LIST_ALL_DOMAINS call and reply', () => {
    const args = { need_results: 1, flags: 0 }
    const ours = callPacket(RemoteProcedure.CONNECT_LIST_ALL_DOMAINS, 34, (w) =>
      encodeConnectListAllDomainsArgs(w, args),
    )
    expect(toHex(ours)).toBe(toHex(LIST_ALL_DOMAINS_CALL))
    expect(decodeConnectListAllDomainsArgs(body(LIST_ALL_DOMAINS_CALL))).toEqual(args)

    const r = body(LIST_ALL_DOMAINS_REPLY)
    const ret = decodeConnectListAllDomainsRet(r)
    r.expectEnd()
    expect(ret.ret).toBe(2)
    expect(ret.domains.map((d) => [d.name, formatUuid(d.uuid), d.id])).toEqual([
      ['demo1', 'c3190a18-9219-4740-be63-44d76b670f16', -1],
      ['tiny', '826bfd9a-231a-4136-a78f-aae0ca8b14c1', -1],
    ])
    // And back: the reply body re-encodes to the captured bytes.
    const w = packetWriter()
    encodeConnectListAllDomainsRet(w, ret)
    expect(toHex(w.toBytes())).toBe(toHex(LIST_ALL_DOMAINS_REPLY.subarray(28)))
  })

  it('an ERROR reply decodes as the full remote_error', () => {
    expect(LOOKUP_ERROR_REPLY.byteLength).toBe(232)
    const p = parsePacket(LOOKUP_ERROR_REPLY.subarray(4))
    expect(p.header.status).toBe(1)
    const r = new XdrReader(p.body)
    const err = decodeRemoteError(r)
    r.expectEnd()
    expect(err).toEqual({
      code: 42,
      domain: 10,
      message: LOOKUP_ERROR_TEXT.message,
      level: 2,
      dom: null,
      str1: 'Domain not found: %s',
      str2: LOOKUP_ERROR_TEXT.str2,
      str3: null,
      int1: -1,
      int2: -1,
      net: null,
    })
    const w = packetWriter()
    encodeRemoteError(w, err)
    expect(toHex(w.toBytes())).toBe(toHex(p.body))
  })

  it('a lifecycle event decodes through the event table', () => {
    const p = parsePacket(LIFECYCLE_EVENT.subarray(4))
    expect(p.header).toMatchObject({ type: MessageType.MESSAGE, serial: 1, procedure: 318 })
    const r = new XdrReader(p.body)
    const msg = remoteEventDecoders[318](r)
    r.expectEnd()
    expect(msg.callbackID).toBe(11)
    expect(msg.msg.dom.name).toBe('xdr2json-probe-18031')
    expect(formatUuid(msg.msg.dom.uuid)).toBe('4e03ab12-a64f-4bdc-8e0f-a65298c4eed7')
    expect(msg.msg.dom.id).toBe(13)
    expect([msg.msg.event, msg.msg.detail]).toEqual([4, 0])
  })

  it('a stream hole carries a hyper length', () => {
    const r = body(STREAM_HOLE)
    expect(decodeNetStreamHole(r)).toEqual({ length: 3891200n, flags: 0 })
  })

  it('our PING is the 28-byte keepalive packet', () => {
    expect(toHex(PING_PACKET)).toBe(toHex(KEEPALIVE_PING))
  })

  it('NODE_GET_INFO: char model[32] is 128 bytes, the reply body 160', () => {
    const model = Array.from({ length: 32 }, (_, i) => 'x86_64'.charCodeAt(i) || 0)
    const info = {
      model,
      memory: 5465888n,
      cpus: 2,
      mhz: 2096,
      nodes: 1,
      sockets: 1,
      cores: 2,
      threads: 1,
    }
    const w = packetWriter()
    encodeNodeGetInfoRet(w, info)
    const b = w.toBytes()
    expect(b.byteLength).toBe(160)
    expect(toHex(b.subarray(0, 8))).toBe('00 00 00 78 00 00 00 38') // 'x' and '8' as ints
    expect(decodeNodeGetInfoRet(new XdrReader(b))).toEqual(info)
  })
})
