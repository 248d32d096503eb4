import { describe, expect, it } from 'vitest'
import { bytes, toHex } from '../../test/vectors/hex'
import { PACKET_STREAM } from '../../test/vectors/readme-packets'
import { ProtocolError } from './errors'
import { Framer } from './framer'
import { MAX_PACKET } from './packet'

/** The expected frames: each packet without its 4-byte length word. */
const EXPECTED = PACKET_STREAM.map((p) => toHex(p.subarray(4)))
const STREAM = Uint8Array.from(PACKET_STREAM.flatMap((p) => [...p]))

/** Feeds chunks, returns the frames as hex. */
function frames(chunks: Uint8Array[]): string[] {
  const out: string[] = []
  const f = new Framer((frame) => out.push(toHex(frame)))
  for (const c of chunks) f.push(c)
  expect(f.buffered).toBe(0)
  return out
}

describe('Framer', () => {
  it('splits a stream of real packets delivered in one chunk', () => {
    expect(frames([STREAM])).toEqual(EXPECTED)
  })

  it('gives the same frames when the stream is split at every offset', () => {
    for (let i = 1; i < STREAM.length; i++) {
      expect(frames([STREAM.subarray(0, i), STREAM.subarray(i)])).toEqual(EXPECTED)
    }
  })

  it('gives the same frames when split at every pair of offsets (three chunks)', () => {
    const step = 7 // every pair would be 250k runs; a stride still crosses every field
    for (let i = 1; i < STREAM.length; i += step) {
      for (let j = i + 1; j < STREAM.length; j += 3) {
        const parts = [STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)]
        expect(frames(parts)).toEqual(EXPECTED)
      }
    }
  })

  it('gives the same frames one byte at a time', () => {
    const chunks = [...STREAM].map((b) => Uint8Array.of(b))
    expect(frames(chunks)).toEqual(EXPECTED)
  })

  it('delivers frames that stay valid after later pushes', () => {
    const kept: Uint8Array[] = []
    const f = new Framer((frame) => kept.push(frame))
    const buf = Uint8Array.from(STREAM)
    for (let i = 0; i < buf.length; i += 5) f.push(buf.slice(i, i + 5))
    expect(kept.map(toHex)).toEqual(EXPECTED)
  })

  it('assembles a packet larger than the initial buffer', () => {
    const size = 200_000
    const packet = new Uint8Array(size)
    new DataView(packet.buffer).setUint32(0, size)
    for (let i = 4; i < size; i++) packet[i] = i & 0xff
    const got: Uint8Array[] = []
    const f = new Framer((frame) => got.push(frame))
    for (let i = 0; i < size; i += 4096) f.push(packet.subarray(i, i + 4096))
    expect(got).toHaveLength(1)
    expect(got[0]!.byteLength).toBe(size - 4)
    expect(got[0]![1000]).toBe(1004 & 0xff)
  })

  it.each([
    ['27 (shorter than a header)', '00 00 00 1b | length 27'],
    ['0', '00 00 00 00 | length 0'],
    ['33554437 (one over VIR_NET_MESSAGE_MAX + 4)', '02 00 00 05 | length 33554437'],
    ['0xffffffff', 'ff ff ff ff | length 4 GiB'],
  ])('rejects length %s with a ProtocolError before allocating', (_name, hex) => {
    const f = new Framer(() => {
      throw new Error('no frame expected')
    })
    expect(() => f.push(bytes(hex))).toThrow(ProtocolError)
    // Still dead afterwards: the stream cannot be resynchronised.
    expect(() => f.push(bytes('00 00 00 1c |'))).toThrow(ProtocolError)
  })

  it('rejects a bad length word split across chunks', () => {
    const f = new Framer(() => {})
    f.push(bytes('02 00 |'))
    expect(() => f.push(bytes('00 05 |'))).toThrow(ProtocolError)
  })

  it('accepts the largest legal length word', () => {
    const f = new Framer(() => {})
    f.push(bytes('02 00 00 04 | length 33554436 = VIR_NET_MESSAGE_MAX + 4'))
    expect(MAX_PACKET).toBe(33554436)
    expect(f.buffered).toBe(0)
  })
})
