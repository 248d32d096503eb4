/**
 * Hand-written helpers over the generated remote_typed_param codec: a typed parameter list
 * as a plain object, and building one for the `*_SET_*` calls.
 *
 * 64-bit values (LLONG, ULLONG) arrive as bigint. {@link typedParamsToObject} turns them into
 * a `number` when the value is a safe integer (|v| <= 2^53 - 1) and leaves them a `bigint`
 * otherwise, so no value is ever rounded; callers that know the range can `Number()` it.
 */
import { Buffer } from 'node:buffer'
import { TypedParameterType } from './generated/flags.gen'
import { REMOTE_STRING_MAX } from './generated/constants.gen'
import type { TypedParam, TypedParamValue } from './generated/remote-types.gen'

/** A typed parameter's value in plain form. BOOLEAN is a `boolean`; see the module note. */
export type TypedParamScalar = number | bigint | boolean | string

/** The names of libvirt's typed parameter types (VIR_TYPED_PARAM_*), lower case. */
export type TypedParamKind = 'int' | 'uint' | 'llong' | 'ullong' | 'double' | 'boolean' | 'string'

/** VIR_TYPED_PARAM_FIELD_LENGTH (libvirt-common.h): a field name is a char[80] with its NUL. */
const FIELD_LENGTH = 80
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
const MIN_SAFE = -MAX_SAFE
const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n
const UINT64_MAX = (1n << 64n) - 1n

/** A bigint as a number when that is exact (a safe integer), else the bigint itself. */
export function safeNumber(v: bigint): number | bigint {
  return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v
}

/** One typed parameter value in plain form (64-bit values as in {@link safeNumber}). */
export function typedParamValue(v: TypedParamValue): TypedParamScalar {
  switch (v.type) {
    case TypedParameterType.INT:
      return v.i
    case TypedParameterType.UINT:
      return v.ui
    case TypedParameterType.LLONG:
      return safeNumber(v.l)
    case TypedParameterType.ULLONG:
      return safeNumber(v.ul)
    case TypedParameterType.DOUBLE:
      return v.d
    case TypedParameterType.BOOLEAN:
      return v.b !== 0
    case TypedParameterType.STRING:
      return v.s
  }
}

/**
 * A typed parameter list as a plain object keyed by field name. libvirt repeats a field
 * only for VIR_TYPED_PARAM_MULTIPLE inputs (never in what it returns); here the last one wins.
 * The object has no prototype, so a field called `__proto__` or `constructor` is just a key.
 */
export function typedParamsToObject(
  params: readonly TypedParam[],
): Record<string, TypedParamScalar> {
  const out = Object.create(null) as Record<string, TypedParamScalar>
  for (const p of params) out[p.field] = typedParamValue(p.value)
  return out
}

/**
 * Builds one typed parameter, checking that the value fits the type (the daemon rejects a
 * field sent with another type than it expects, so the type is always explicit).
 * @throws RangeError when the value does not fit, TypeError when it has the wrong JS type
 */
export function typedParam(
  field: string,
  kind: TypedParamKind,
  value: TypedParamScalar,
): TypedParam {
  if (Buffer.byteLength(field) >= FIELD_LENGTH) {
    throw new RangeError(
      `typed parameter field name ${field} is longer than ${FIELD_LENGTH - 1} bytes`,
    )
  }
  return { field, value: typedValue(field, kind, value) }
}

/**
 * Builds a typed parameter list for a set call from values and their types, in the order of
 * `values`; `undefined` values are left out (so optional settings can be passed through).
 *
 *   buildTypedParams({ weight: 500 }, { weight: 'uint' })  // DOMAIN_SET_BLKIO_PARAMETERS
 * @throws TypeError for a field without a type; see {@link typedParam}
 */
export function buildTypedParams<K extends string>(
  values: Partial<Record<K, TypedParamScalar | undefined>>,
  kinds: Record<K, TypedParamKind>,
): TypedParam[] {
  const out: TypedParam[] = []
  for (const field of Object.keys(values) as K[]) {
    const value = values[field]
    if (value === undefined) continue
    const kind = Object.hasOwn(kinds, field) ? kinds[field] : undefined
    if (kind === undefined) throw new TypeError(`typed parameter ${field}: no type given`)
    out.push(typedParam(field, kind, value))
  }
  return out
}

function typedValue(field: string, kind: TypedParamKind, value: TypedParamScalar): TypedParamValue {
  switch (kind) {
    case 'int':
      return { type: TypedParameterType.INT, i: int32(field, value, -0x8000_0000, 0x7fff_ffff) }
    case 'uint':
      return { type: TypedParameterType.UINT, ui: int32(field, value, 0, 0xffff_ffff) }
    case 'llong':
      return { type: TypedParameterType.LLONG, l: int64(field, value, INT64_MIN, INT64_MAX) }
    case 'ullong':
      return { type: TypedParameterType.ULLONG, ul: int64(field, value, 0n, UINT64_MAX) }
    case 'double':
      if (typeof value !== 'number') throw wrongType(field, kind, value)
      return { type: TypedParameterType.DOUBLE, d: value }
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(field, kind, value)
      return { type: TypedParameterType.BOOLEAN, b: value ? 1 : 0 }
    case 'string':
      if (typeof value !== 'string') throw wrongType(field, kind, value)
      return { type: TypedParameterType.STRING, s: checkString(value, `${field} value`) }
    default:
      throw new TypeError(`typed parameter ${field}: unknown type ${String(kind)}`)
  }
}

function int32(field: string, value: TypedParamScalar, min: number, max: number): number {
  const n = typeof value === 'bigint' ? Number(value) : value
  if (typeof n !== 'number') throw wrongType(field, 'integer', value)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RangeError(`typed parameter ${field}: ${String(value)} is not in ${min}..${max}`)
  }
  return n
}

function int64(field: string, value: TypedParamScalar, min: bigint, max: bigint): bigint {
  let n: bigint
  if (typeof value === 'bigint') n = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value)
  else if (typeof value === 'number') {
    throw new RangeError(`typed parameter ${field}: ${value} is not a safe integer; pass a bigint`)
  } else throw wrongType(field, 'integer', value)
  if (n < min || n > max) {
    throw new RangeError(`typed parameter ${field}: ${n} is not in ${min}..${max}`)
  }
  return n
}

function checkString(s: string, what: string): string {
  // Cheap bound first: a UTF-8 encoding takes at most 3 bytes per UTF-16 unit.
  if (s.length * 3 > REMOTE_STRING_MAX && Buffer.byteLength(s) > REMOTE_STRING_MAX) {
    throw new RangeError(`typed parameter ${what} is longer than ${REMOTE_STRING_MAX} bytes`)
  }
  return s
}

function wrongType(field: string, kind: string, value: unknown): TypeError {
  return new TypeError(`typed parameter ${field}: ${typeof value} is not a valid ${kind} value`)
}
