import { describe, expect, it } from 'vitest'
import { bytes, toHex } from '../../test/vectors/hex'
import {
  fromBytes,
  toBytes,
  xdrArray,
  xdrBool,
  xdrDouble,
  xdrFixedArray,
  xdrFixedOpaque,
  xdrFloat,
  xdrHyper,
  xdrInt,
  xdrOpaque,
  xdrOptional,
  xdrString,
  xdrUhyper,
  xdrUint,
  xdrVoid,
  type Codec,
} from './codecs'
import { XdrReader } from './reader'
import { XdrWriter } from './writer'
import { XdrError } from './xdr-error'

/** Encodes with the codec, compares with the annotated bytes, decodes back. */
function vector<T>(codec: Codec<T>, value: T, annotated: string): void {
  const expected = bytes(annotated)
  expect(toHex(toBytes(codec.encode, value))).toBe(toHex(expected))
  expect(fromBytes(codec.decode, expected)).toEqual(value)
}

function decodeError(fn: () => unknown): XdrError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(XdrError)
    return err as XdrError
  }
  throw new Error('expected an XdrError')
}

describe('XDR primitives: annotated vectors', () => {
  it('int', () => {
    vector(xdrInt, 0, '00 00 00 00 | 0')
    vector(xdrInt, 42, '00 00 00 2a | 42')
    vector(xdrInt, -1, 'ff ff ff ff | -1, two complement')
    vector(xdrInt, -2147483648, '80 00 00 00 | INT_MIN')
    vector(xdrInt, 2147483647, '7f ff ff ff | INT_MAX')
  })

  it('unsigned int', () => {
    vector(xdrUint, 4294967295, 'ff ff ff ff | UINT_MAX')
    vector(xdrUint, 0x20008086, '20 00 80 86 | REMOTE_PROGRAM')
  })

  it('hyper and unsigned hyper as bigint, beyond 2^53', () => {
    vector(xdrHyper, -1n, 'ff ff ff ff ff ff ff ff | -1')
    vector(xdrHyper, 2n ** 53n + 1n, '00 20 00 00 00 00 00 01 | 2^53 + 1, not a safe integer')
    vector(xdrHyper, -(2n ** 63n), '80 00 00 00 00 00 00 00 | INT64_MIN')
    vector(xdrUhyper, 2n ** 64n - 1n, 'ff ff ff ff ff ff ff ff | UINT64_MAX')
    vector(xdrUhyper, 9000000n, '00 00 00 00 00 89 54 40 | lib_ver of libvirt 9.0.0')
  })

  it('bool, float, double', () => {
    vector(xdrBool, true, '00 00 00 01 | true')
    vector(xdrBool, false, '00 00 00 00 | false')
    vector(xdrFloat, 1.5, '3f c0 00 00 | 1.5 binary32')
    vector(xdrDouble, -2.5, 'c0 04 00 00 00 00 00 00 | -2.5 binary64')
  })

  it('string<max>: length, bytes, zero padding', () => {
    const s = xdrString(100)
    vector(s, '', '00 00 00 00 | empty string is just the length')
    vector(s, 'tiny', '00 00 00 04 | length 4\n 74 69 6e 79 | "tiny", aligned, no padding')
    vector(s, 'demo1', '00 00 00 05 | length 5\n 64 65 6d 6f 31 00 00 00 | "demo1" + 3 pad')
    vector(s, 'é', '00 00 00 02 | 2 UTF-8 bytes\n c3 a9 00 00 | é + 2 pad')
  })

  it('opaque: fixed has no length, variable has one', () => {
    const uuid = Uint8Array.from({ length: 16 }, (_, i) => i)
    vector(
      xdrFixedOpaque(16),
      uuid,
      '00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f | remote_uuid: 16 raw bytes',
    )
    vector(xdrFixedOpaque(3), Uint8Array.of(1, 2, 3), '01 02 03 00 | 3 bytes + 1 pad')
    vector(xdrOpaque(8), Uint8Array.of(0xaa), '00 00 00 01 | length 1\n aa 00 00 00 | byte + 3 pad')
  })

  it('optional: a 4-byte flag, absent is not the empty string', () => {
    const opt = xdrOptional(xdrString(10))
    vector(opt, null, '00 00 00 00 | absent')
    vector(opt, '', '00 00 00 01 | present\n 00 00 00 00 | empty string')
  })

  it('arrays: variable has a count, fixed has none', () => {
    vector(
      xdrArray(xdrInt, 5),
      [1, -1],
      '00 00 00 02 | count 2\n 00 00 00 01 | 1\n ff ff ff ff | -1',
    )
    vector(xdrArray(xdrInt, 5), [], '00 00 00 00 | count 0')
    vector(xdrFixedArray(xdrInt, 2), [7, 8], '00 00 00 07 | [0]\n 00 00 00 08 | [1], no count')
  })

  it('char arrays take 4 bytes per element (xdr_char)', () => {
    // NODE_GET_SECURITY_MODEL's model "none": count 5 (with the NUL), then five ints.
    vector(
      xdrArray(xdrInt, 257),
      [0x6e, 0x6f, 0x6e, 0x65, 0],
      `00 00 00 05 | count 5
       00 00 00 6e | n
       00 00 00 6f | o
       00 00 00 6e | n
       00 00 00 65 | e
       00 00 00 00 | NUL`,
    )
  })

  it('void writes and reads nothing', () => {
    expect(toBytes(xdrVoid.encode, undefined).byteLength).toBe(0)
    expect(fromBytes(xdrVoid.decode, new Uint8Array(0))).toBeUndefined()
  })
})

describe('XDR round trips', () => {
  it('mixed sequence', () => {
    const w = new XdrWriter({ initialSize: 4 })
    w.int(-5)
    w.string('hello world', 64)
    w.uhyper(123456789012345678n)
    w.optional(Uint8Array.of(9, 8, 7), (w2, v) => w2.varOpaque(v, 10))
    w.array(['a', 'bb', 'ccc'], 3, (w2, v) => w2.string(v, 3))
    const r = new XdrReader(w.toBytes())
    expect(r.int()).toBe(-5)
    expect(r.string(64)).toBe('hello world')
    expect(r.uhyper()).toBe(123456789012345678n)
    expect(r.optional((r2) => r2.varOpaque(10))).toEqual(Uint8Array.of(9, 8, 7))
    expect(r.array(3, (r2) => r2.string(3))).toEqual(['a', 'bb', 'ccc'])
    r.expectEnd()
  })

  it('a reader window reads only its part', () => {
    const buf = bytes('ff ff ff ff | outside\n 00 00 00 07 | inside\n ff ff ff ff | outside')
    const r = new XdrReader(buf, 4, 8)
    expect(r.int()).toBe(7)
    expect(r.remaining).toBe(0)
    decodeError(() => r.int())
  })

  it('opaque values are copies, not views of the packet', () => {
    const buf = bytes('00 00 00 02 | length 2\n 01 02 00 00 | data + pad')
    const v = new XdrReader(buf).varOpaque(4)
    buf[4] = 0xff
    expect([...v]).toEqual([1, 2])
  })
})

describe('XDR limits: enforced on encode', () => {
  const w = (): XdrWriter => new XdrWriter()
  it.each([
    ['int too big', () => w().int(2 ** 31)],
    ['int not whole', () => w().int(1.5)],
    ['uint negative', () => w().uint(-1)],
    ['hyper overflow', () => w().hyper(2n ** 63n)],
    ['uhyper negative', () => w().uhyper(-1n)],
    ['string over max', () => w().string('abcd', 3)],
    ['string over max in bytes, not chars', () => w().string('éé', 3)],
    ['opaque over max', () => w().varOpaque(new Uint8Array(5), 4)],
    ['fixed opaque of the wrong size', () => w().fixedOpaque(new Uint8Array(15), 16)],
    ['array over max', () => w().array([1, 2, 3], 2, (x, v) => x.int(v))],
    ['fixed array of the wrong length', () => w().fixedArray([1], 2, (x, v) => x.int(v))],
    ['writer size limit', () => new XdrWriter({ maxSize: 8 }).string('123456789', 100)],
  ])('%s', (_name, fn) => {
    decodeError(fn)
  })
})

describe('XDR limits: enforced on decode, before allocating', () => {
  it('truncated int and hyper', () => {
    expect(decodeError(() => new XdrReader(bytes('00 00 00 | 3 bytes')).int()).offset).toBe(0)
    decodeError(() => new XdrReader(bytes('00 00 00 00 00 00 00 | 7 bytes')).hyper())
  })

  it('string length over its maximum', () => {
    const e = decodeError(() =>
      new XdrReader(bytes('00 00 00 05 | 5\n 61 62 63 64 65 00 00 00 |')).string(4),
    )
    expect(e.message).toContain('exceeds maximum 4')
  })

  it('a huge length with few bytes left fails without allocating', () => {
    // 0x7fffffff claimed, 4 bytes present: must be rejected by comparing, not by reading.
    const huge = bytes('7f ff ff ff | length 2^31-1\n 00 00 00 00 | 4 bytes left')
    expect(decodeError(() => new XdrReader(huge).string(0xffffffff)).message).toContain(
      'bytes left',
    )
    expect(decodeError(() => new XdrReader(huge).varOpaque(0xffffffff)).offset).toBe(0)
    expect(
      decodeError(() => new XdrReader(huge).array(0xffffffff, (r) => r.int())).message,
    ).toContain('bytes left')
  })

  it('array count over its maximum', () => {
    const e = decodeError(() =>
      new XdrReader(bytes('00 00 00 03 | count 3')).array(2, (r) => r.int()),
    )
    expect(e.message).toContain('exceeds maximum 2')
  })

  it('padding counts towards the bytes needed', () => {
    // length 1 needs 1 byte + 3 padding; only 1 byte present.
    decodeError(() =>
      new XdrReader(bytes('00 00 00 01 | length 1\n 61 | "a" without padding')).string(10),
    )
  })

  it('bad optional flag and bad bool', () => {
    expect(
      decodeError(() => new XdrReader(bytes('00 00 00 02 | flag 2')).optional((r) => r.int()))
        .message,
    ).toContain('optional flag')
    decodeError(() => new XdrReader(bytes('00 00 00 02 | bool 2')).bool())
  })

  it('trailing bytes are an error for a whole-message decode', () => {
    decodeError(() => fromBytes(xdrInt.decode, bytes('00 00 00 01 | 1\n 00 00 00 00 | extra')))
  })
})
