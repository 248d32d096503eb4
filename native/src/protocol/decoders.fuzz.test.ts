/**
 * Decoders fed truncated and random input must fail with a typed error (XdrError,
 * ProtocolError), never crash with anything else, hang, or allocate beyond limits. Every
 * generated decoder of every program is exercised. Runs are counted and asserted to total
 * at least 100,000.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { PACKET_STREAM } from '../../test/vectors/readme-packets'
import { RpcClient } from '../rpc/client'
import { ProtocolError } from '../rpc/errors'
import { Framer } from '../rpc/framer'
import { parsePacket } from '../rpc/packet'
import type { Decoder } from '../xdr/codecs'
import { XdrReader } from '../xdr/reader'
import { XdrError } from '../xdr/xdr-error'
import * as admin from './generated/admin-codecs.gen'
import * as lxc from './generated/lxc-codecs.gen'
import * as qemu from './generated/qemu-codecs.gen'
import * as remote from './generated/remote-codecs.gen'
import * as virnet from './generated/virnet-codecs.gen'

const DECODERS: [string, Decoder<unknown>][] = [remote, qemu, lxc, admin, virnet].flatMap((m) =>
  Object.entries(m)
    .filter(([name]) => name.startsWith('decode'))
    .map(([name, fn]) => [name, fn as Decoder<unknown>] as [string, Decoder<unknown>]),
)

let runs = 0
afterAll(() => {
  expect(runs).toBeGreaterThanOrEqual(100_000)
})

/** Decodes `bytes`; returns normally or throws XdrError, nothing else. */
function decodeOrXdrError(decode: Decoder<unknown>, bytes: Uint8Array): void {
  runs++
  try {
    decode(new XdrReader(bytes))
  } catch (err) {
    if (!(err instanceof XdrError)) throw err
  }
}

/** Biased input: words that are small counts, huge counts, flags, or random bytes. */
const word = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 4, 16, 0x7fffffff, 0xffffffff, 4194304, 4194305),
  fc.integer({ min: 0, max: 64 }),
  fc.integer({ min: 0, max: 0xffffffff }),
)
const wordsInput = fc.array(word, { maxLength: 48 }).map((ws) => {
  const b = new Uint8Array(ws.length * 4)
  const v = new DataView(b.buffer)
  ws.forEach((w, i) => v.setUint32(i * 4, w))
  return b
})
const bytesInput = fc.uint8Array({ maxLength: 256 })

describe('decoder fuzz', () => {
  it(`has every generated decoder (${DECODERS.length})`, () => {
    expect(DECODERS.length).toBeGreaterThanOrEqual(770) // 749 structs, 19 typedefs, 2 unions
  })

  it('every decoder on random bytes and on biased words throws only XdrError', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: DECODERS.length - 1 }),
        fc.oneof(bytesInput, wordsInput),
        (i, bytes) => decodeOrXdrError(DECODERS[i]![1], bytes),
      ),
      { numRuns: 60_000, seed: 0x5eed },
    )
  })

  it('each decoder on every truncation of an all-ones / all-zeros buffer', () => {
    const zeros = new Uint8Array(64)
    const ones = new Uint8Array(64).fill(1) // flags = 1 everywhere: optionals present
    for (const [, decode] of DECODERS) {
      for (const base of [zeros, ones]) {
        for (let n = 0; n < base.length; n += 4) decodeOrXdrError(decode, base.subarray(0, n))
      }
    }
  })

  it('real packet bodies truncated at every byte fail with XdrError', () => {
    const cases: [Decoder<unknown>, Uint8Array][] = [
      [remote.decodeConnectListAllDomainsRet, parsePacket(PACKET_STREAM[1]!.subarray(4)).body],
      [remote.decodeRemoteError, parsePacket(PACKET_STREAM[4]!.subarray(4)).body],
      [
        remote.decodeDomainEventCallbackLifecycleMsg,
        parsePacket(PACKET_STREAM[3]!.subarray(4)).body,
      ],
    ]
    for (const [decode, body] of cases) {
      decode(new XdrReader(body)) // the whole body decodes
      for (let n = 0; n < body.length; n++) {
        runs++
        expect(() => decode(new XdrReader(body.subarray(0, n)))).toThrow(XdrError)
      }
    }
  })

  it('the framer on random chunks yields frames or a ProtocolError', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(bytesInput, wordsInput), { maxLength: 8 }), (chunks) => {
        runs++
        const f = new Framer((frame) => {
          expect(frame.byteLength).toBeGreaterThanOrEqual(24)
        })
        try {
          for (const c of chunks) f.push(c)
        } catch (err) {
          if (!(err instanceof ProtocolError)) throw err
        }
      }),
      { numRuns: 20_000, seed: 0xf4a3e },
    )
  })

  it('the client on random bytes never throws, and fails typed when it fails', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(bytesInput, wordsInput), { maxLength: 6 }), (chunks) => {
        runs++
        const rpc = new RpcClient({ write: () => {} })
        let lost: Error | undefined
        rpc.onClose((e) => (lost = e))
        for (const c of chunks) rpc.receive(c)
        if (lost) expect(lost.cause).toBeInstanceOf(ProtocolError)
      }),
      { numRuns: 15_000, seed: 0xc1e47 },
    )
  })
})
