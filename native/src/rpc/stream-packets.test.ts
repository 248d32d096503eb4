import { describe, expect, it } from 'vitest'
import { bytes, toHex } from '../../test/vectors/hex'
import { STREAM_HOLE } from '../../test/vectors/readme-packets'
import { ProtocolError, VirtError } from './errors'
import { parsePacket } from './packet'
import {
  encodeStreamAbort,
  encodeStreamData,
  encodeStreamFinish,
  encodeStreamHole,
  parseStreamPacket,
  STREAM_CHUNK_MAX,
  streamChunks,
  type StreamId,
} from './stream-packets'

const SCREENSHOT = 'REMOTE_PROC_DOMAIN_SCREENSHOT'
/** DOMAIN_SCREENSHOT (211 = 0xd3) opened by the call with serial 0x44. */
const SHOT: StreamId = { program: 0x20008086, version: 1, procedure: 211, serial: 0x44 }
/** DOMAIN_OPEN_CONSOLE (201 = 0xc9), serial 5. */
const CONSOLE: StreamId = { program: 0x20008086, version: 1, procedure: 201, serial: 5 }

/** Parses a whole packet (with its length word) as the framer would hand it over. */
function parse(packet: Uint8Array) {
  // The vector's length word must count the whole packet.
  expect(new DataView(packet.buffer, packet.byteOffset).getUint32(0)).toBe(packet.byteLength)
  return parseStreamPacket(parsePacket(packet.subarray(4)), SCREENSHOT)
}

describe('stream packets from the daemon', () => {
  it('STREAM/CONTINUE with bytes is data, raw (no length prefix, no padding)', () => {
    const ev = parse(
      bytes(`
        00 00 00 23 | length 35: a 7-byte body, not a multiple of 4
        20 00 80 86 | prog REMOTE_PROGRAM
        00 00 00 01 | vers 1
        00 00 00 d3 | proc 211 DOMAIN_SCREENSHOT
        00 00 00 03 | type 3 STREAM
        00 00 00 44 | serial 0x44, the opening call's
        00 00 00 02 | status 2 CONTINUE
        89 50 4e 47 0d 0a 1a | body: the first 7 bytes of a PNG, as they are
      `),
    )
    expect(ev.kind).toBe('data')
    expect(ev.kind === 'data' && toHex(ev.bytes)).toBe('89 50 4e 47 0d 0a 1a')
  })

  it('STREAM/CONTINUE with an empty body is the end of data (README section 15)', () => {
    const ev = parse(
      bytes(`
        00 00 00 1c | length 28, header only
        20 00 80 86 00 00 00 01 | prog, vers
        00 00 00 d3 | proc 211
        00 00 00 03 | type STREAM
        00 00 00 44 | serial
        00 00 00 02 | status CONTINUE, and no body: end of data
      `),
    )
    expect(ev).toEqual({ kind: 'eof' })
  })

  it('STREAM/OK is the confirmation of a finish or an abort', () => {
    const ev = parse(
      bytes(`
        00 00 00 1c 20 00 80 86 00 00 00 01 00 00 00 d3 | len 28, prog, vers, proc
        00 00 00 03 00 00 00 44 | type STREAM, serial
        00 00 00 00             | status OK
      `),
    )
    expect(ev).toEqual({ kind: 'ok' })
  })

  it('STREAM/ERROR carries a remote_error, decoded as a VirtError', () => {
    const ev = parse(
      bytes(`
        00 00 00 64 | length 100
        20 00 80 86 00 00 00 01 00 00 00 d3 | prog, vers, proc 211
        00 00 00 03 00 00 00 44 | type STREAM, serial
        00 00 00 01 | status ERROR
                    | -- body: remote_error
        00 00 00 37 | code 55 VIR_ERR_OPERATION_INVALID
        00 00 00 0a | domain 10 VIR_FROM_QEMU
        00 00 00 01 00 00 00 16 | message: present, 22 bytes
        64 6f 6d 61 69 6e 20 69 73 20 6e 6f 74 20 72 75 6e 6e 69 6e 67 21 00 00 | "domain is not running!" + 2 pad
        00 00 00 02 | level 2 error
        00 00 00 00 | dom absent
        00 00 00 00 00 00 00 00 00 00 00 00 | str1, str2, str3 absent
        ff ff ff ff ff ff ff ff | int1 = int2 = -1
        00 00 00 00 | net absent
      `),
    )
    expect(ev.kind).toBe('error')
    const err = ev.kind === 'error' ? ev.error : null
    expect(err).toBeInstanceOf(VirtError)
    expect(err).toMatchObject({
      code: 55,
      codeName: 'VIR_ERR_OPERATION_INVALID',
      domain: 10,
      message: 'domain is not running!',
      procedure: SCREENSHOT,
    })
  })

  it('STREAM/ERROR without a body is a peer abort; a broken body is a ProtocolError', () => {
    const empty = parse(encodeStreamAbort(SHOT))
    expect(empty.kind === 'error' && empty.error).toBeInstanceOf(ProtocolError)
    const broken = parse(
      bytes(`
        00 00 00 20 20 00 80 86 00 00 00 01 00 00 00 d3 00 00 00 03 00 00 00 44 | len 32 ...
        00 00 00 01 | status ERROR
        00 00 00 37 | code 55, and then nothing: truncated remote_error
      `),
    )
    expect(broken.kind === 'error' && broken.error).toBeInstanceOf(ProtocolError)
  })

  it('STREAM_HOLE carries virNetStreamHole (README vector)', () => {
    const ev = parseStreamPacket(parsePacket(STREAM_HOLE.subarray(4)), 'download')
    expect(ev).toEqual({ kind: 'hole', length: 3891200n, flags: 0 })
  })

  it('rejects what is not a stream packet', () => {
    const reply = bytes(`
      00 00 00 1c 20 00 80 86 00 00 00 01 00 00 00 d3 | len, prog, vers, proc
      00 00 00 01 00 00 00 44 00 00 00 00             | type 1 REPLY: not a stream packet
    `)
    expect(() => parse(reply)).toThrow(ProtocolError)
    const badStatus = bytes(`
      00 00 00 1c 20 00 80 86 00 00 00 01 00 00 00 d3 | len, prog, vers, proc
      00 00 00 03 00 00 00 44 00 00 00 07             | STREAM with status 7
    `)
    expect(() => parse(badStatus)).toThrow(ProtocolError)
    const shortHole = bytes(`
      00 00 00 24 20 00 80 86 00 00 00 01 00 00 00 d1 | len 36, proc 209
      00 00 00 06 00 00 00 3e 00 00 00 02             | STREAM_HOLE, CONTINUE
      00 00 00 00 00 3b 60 00                         | length, but no flags word
    `)
    expect(() => parse(shortHole)).toThrow(ProtocolError)
  })
})

describe('stream packets to the daemon', () => {
  it('a 1-byte console write is a 29-byte packet (README section 3)', () => {
    expect(toHex(encodeStreamData(CONSOLE, Uint8Array.of(0x0d)))).toBe(
      toHex(
        bytes(`
          00 00 00 1d | length 29
          20 00 80 86 | prog
          00 00 00 01 | vers
          00 00 00 c9 | proc 201 DOMAIN_OPEN_CONSOLE
          00 00 00 03 | type STREAM
          00 00 00 05 | serial 5
          00 00 00 02 | status CONTINUE
          0d          | the byte, no padding
        `),
      ),
    )
  })

  it('finish is STREAM/OK and abort STREAM/ERROR, both header only', () => {
    const header = `
      00 00 00 1c 20 00 80 86 00 00 00 01 00 00 00 d3 | len 28, prog, vers, proc 211
      00 00 00 03 00 00 00 44                         | type STREAM, serial 0x44
    `
    expect(toHex(encodeStreamFinish(SHOT))).toBe(toHex(bytes(`${header}\n00 00 00 00 | OK`)))
    expect(toHex(encodeStreamAbort(SHOT))).toBe(toHex(bytes(`${header}\n00 00 00 01 | ERROR`)))
  })

  it('a hole is STREAM_HOLE/CONTINUE with virNetStreamHole', () => {
    const id = { ...SHOT, procedure: 209, serial: 62 }
    expect(toHex(encodeStreamHole(id, 3891200n))).toBe(toHex(STREAM_HOLE))
  })

  it('cuts data into chunks of at most 262120 bytes and refuses larger packets', () => {
    expect(STREAM_CHUNK_MAX).toBe(262120)
    const data = new Uint8Array(2 * STREAM_CHUNK_MAX + 5)
    const sizes = [...streamChunks(data)].map((c) => c.byteLength)
    expect(sizes).toEqual([STREAM_CHUNK_MAX, STREAM_CHUNK_MAX, 5])
    expect([...streamChunks(new Uint8Array(0))]).toEqual([])
    expect(() => encodeStreamData(CONSOLE, new Uint8Array(STREAM_CHUNK_MAX + 1))).toThrow(
      RangeError,
    )
    expect(encodeStreamData(CONSOLE, new Uint8Array(STREAM_CHUNK_MAX)).byteLength).toBe(262148)
  })
})
