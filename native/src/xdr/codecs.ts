import { XdrReader } from './reader'
import { XdrWriter } from './writer'

/** Writes one value of type T. Generated `encodeXxx` functions have this shape. */
export type Encoder<T> = (w: XdrWriter, value: T) => void

/** Reads one value of type T. Generated `decodeXxx` functions have this shape. */
export type Decoder<T> = (r: XdrReader) => T

/** An encoder and decoder for the same type, for hand-written composition and tests. */
export interface Codec<T> {
  readonly encode: Encoder<T>
  readonly decode: Decoder<T>
}

// Element functions for arrays of primitives: generated code passes these by reference
// (r.array(max, decodeInt)) instead of allocating a closure per call.

/** `int` (also `char`, `short`). */
export const encodeInt: Encoder<number> = (w, v) => w.int(v)
/** `int` (also `char`, `short`). */
export const decodeInt: Decoder<number> = (r) => r.int()
/** `unsigned int` (also `unsigned char`, `unsigned short`, enums are read as int). */
export const encodeUint: Encoder<number> = (w, v) => w.uint(v)
/** `unsigned int` (also `unsigned char`, `unsigned short`). */
export const decodeUint: Decoder<number> = (r) => r.uint()
/** `hyper` as bigint. */
export const encodeHyper: Encoder<bigint> = (w, v) => w.hyper(v)
/** `hyper` as bigint. */
export const decodeHyper: Decoder<bigint> = (r) => r.hyper()
/** `unsigned hyper` as bigint. */
export const encodeUhyper: Encoder<bigint> = (w, v) => w.uhyper(v)
/** `unsigned hyper` as bigint. */
export const decodeUhyper: Decoder<bigint> = (r) => r.uhyper()
/** `bool`. */
export const encodeBool: Encoder<boolean> = (w, v) => w.bool(v)
/** `bool`. */
export const decodeBool: Decoder<boolean> = (r) => r.bool()
/** `float`. */
export const encodeFloat: Encoder<number> = (w, v) => w.float(v)
/** `float`. */
export const decodeFloat: Decoder<number> = (r) => r.float()
/** `double`. */
export const encodeDouble: Encoder<number> = (w, v) => w.double(v)
/** `double`. */
export const decodeDouble: Decoder<number> = (r) => r.double()

/** An empty body (procedures without args or ret): writes nothing. */
export const encodeVoid: Encoder<undefined> = () => {}
/** An empty body (procedures without args or ret): reads nothing. */
export const decodeVoid: Decoder<undefined> = () => undefined

// Codec objects and combinators, for hand-written codecs (typed parameters, tests).

/** `int` codec. */
export const xdrInt: Codec<number> = { encode: encodeInt, decode: decodeInt }
/** `unsigned int` codec. */
export const xdrUint: Codec<number> = { encode: encodeUint, decode: decodeUint }
/** `hyper` codec (bigint). */
export const xdrHyper: Codec<bigint> = { encode: encodeHyper, decode: decodeHyper }
/** `unsigned hyper` codec (bigint). */
export const xdrUhyper: Codec<bigint> = { encode: encodeUhyper, decode: decodeUhyper }
/** `bool` codec. */
export const xdrBool: Codec<boolean> = { encode: encodeBool, decode: decodeBool }
/** `float` codec. */
export const xdrFloat: Codec<number> = { encode: encodeFloat, decode: decodeFloat }
/** `double` codec. */
export const xdrDouble: Codec<number> = { encode: encodeDouble, decode: decodeDouble }
/** Empty body codec. */
export const xdrVoid: Codec<undefined> = { encode: encodeVoid, decode: decodeVoid }

/** `string<max>` codec. */
export function xdrString(max: number): Codec<string> {
  return { encode: (w, v) => w.string(v, max), decode: (r) => r.string(max) }
}

/** `opaque<max>` codec. */
export function xdrOpaque(max: number): Codec<Uint8Array> {
  return { encode: (w, v) => w.varOpaque(v, max), decode: (r) => r.varOpaque(max) }
}

/** `opaque[n]` codec. */
export function xdrFixedOpaque(n: number): Codec<Uint8Array> {
  return { encode: (w, v) => w.fixedOpaque(v, n), decode: (r) => r.fixedOpaque(n) }
}

/** `T<max>` codec. */
export function xdrArray<T>(item: Codec<T>, max: number): Codec<T[]> {
  return {
    encode: (w, v) => w.array(v, max, item.encode),
    decode: (r) => r.array(max, item.decode),
  }
}

/** `T[n]` codec. */
export function xdrFixedArray<T>(item: Codec<T>, n: number): Codec<T[]> {
  return {
    encode: (w, v) => w.fixedArray(v, n, item.encode),
    decode: (r) => r.fixedArray(n, item.decode),
  }
}

/** `T *` (optional data) codec; absent is null. */
export function xdrOptional<T>(item: Codec<T>): Codec<T | null> {
  return {
    encode: (w, v) => w.optional(v, item.encode),
    decode: (r) => r.optional(item.decode),
  }
}

/** Encodes one value into a fresh byte array. */
export function toBytes<T>(encode: Encoder<T>, value: T): Uint8Array {
  const w = new XdrWriter()
  encode(w, value)
  return w.toBytes()
}

/** Decodes one value from bytes that it must use completely. */
export function fromBytes<T>(decode: Decoder<T>, bytes: Uint8Array): T {
  const r = new XdrReader(bytes)
  const v = decode(r)
  r.expectEnd()
  return v
}
