import { describe, expect, it } from 'vitest'
import { XdrReader } from '../xdr/reader'
import { XdrWriter } from '../xdr/writer'
import { decodeTypedParam, encodeTypedParam } from './generated/remote-codecs.gen'
import type { TypedParam } from './generated/remote-types.gen'
import {
  buildTypedParams,
  safeNumber,
  typedParam,
  typedParamsToObject,
  typedParamValue,
} from './typed-params'

const roundTrip = (params: TypedParam[]): TypedParam[] => {
  const w = new XdrWriter()
  for (const p of params) encodeTypedParam(w, p)
  const r = new XdrReader(w.toBytes())
  const out = params.map(() => decodeTypedParam(r))
  r.expectEnd()
  return out
}

describe('typed parameters', () => {
  it('become a plain object; 64-bit values are numbers when safe, bigint otherwise', () => {
    const params: TypedParam[] = [
      { field: 'i', value: { type: 1, i: -5 } },
      { field: 'ui', value: { type: 2, ui: 0xffff_ffff } },
      { field: 'l', value: { type: 3, l: -(2n ** 53n) + 1n } },
      { field: 'lBig', value: { type: 3, l: -(2n ** 53n) } },
      { field: 'ul', value: { type: 4, ul: 2n ** 53n - 1n } },
      { field: 'ulBig', value: { type: 4, ul: 2n ** 64n - 1n } },
      { field: 'd', value: { type: 5, d: 0.25 } },
      { field: 'b', value: { type: 6, b: 1 } },
      { field: 's', value: { type: 7, s: 'vda' } },
      { field: '__proto__', value: { type: 7, s: 'just a key' } },
    ]
    const o = typedParamsToObject(roundTrip(params))
    expect(o).toEqual(
      Object.assign(Object.create(null) as object, {
        i: -5,
        ui: 0xffff_ffff,
        l: -(2 ** 53) + 1,
        lBig: -(2n ** 53n),
        ul: 2 ** 53 - 1,
        ulBig: 2n ** 64n - 1n,
        d: 0.25,
        b: true,
        s: 'vda',
        ['__proto__']: 'just a key',
      }),
    )
    expect(Object.getPrototypeOf(o)).toBeNull()
    expect(typedParamValue({ type: 6, b: 0 })).toBe(false)
    expect(safeNumber(5n)).toBe(5)
    expect(safeNumber(2n ** 60n)).toBe(2n ** 60n)
  })

  it('are built with explicit types, checked against each type', () => {
    const built = buildTypedParams(
      { weight: 500, hard_limit: 2n ** 40n, soft: 7, name: 'x', on: true, skip: undefined },
      {
        weight: 'uint',
        hard_limit: 'ullong',
        soft: 'llong',
        name: 'string',
        on: 'boolean',
        skip: 'int',
      },
    )
    expect(built).toEqual([
      { field: 'weight', value: { type: 2, ui: 500 } },
      { field: 'hard_limit', value: { type: 4, ul: 2n ** 40n } },
      { field: 'soft', value: { type: 3, l: 7n } },
      { field: 'name', value: { type: 7, s: 'x' } },
      { field: 'on', value: { type: 6, b: 1 } },
    ])
    expect(roundTrip(built)).toEqual(built)
    expect(typedParam('d', 'double', 1.5)).toEqual({ field: 'd', value: { type: 5, d: 1.5 } })
    expect(typedParam('i', 'int', 3n)).toEqual({ field: 'i', value: { type: 1, i: 3 } })
  })

  it('refuse values that do not fit their type', () => {
    expect(() => typedParam('u', 'uint', -1)).toThrow(RangeError)
    expect(() => typedParam('u', 'uint', 2 ** 32)).toThrow(RangeError)
    expect(() => typedParam('i', 'int', 1.5)).toThrow(RangeError)
    expect(() => typedParam('i', 'int', 'x')).toThrow(TypeError)
    expect(() => typedParam('ul', 'ullong', -1)).toThrow(RangeError)
    expect(() => typedParam('ul', 'ullong', 2n ** 64n)).toThrow(RangeError)
    expect(() => typedParam('ul', 'ullong', 2 ** 60)).toThrow(/bigint/)
    expect(() => typedParam('l', 'llong', -(2n ** 63n) - 1n)).toThrow(RangeError)
    expect(() => typedParam('b', 'boolean', 1)).toThrow(TypeError)
    expect(() => typedParam('s', 'string', 1)).toThrow(TypeError)
    expect(() => typedParam('d', 'double', 1n)).toThrow(TypeError)
    expect(() => typedParam('x'.repeat(80), 'int', 1)).toThrow(/longer than 79/)
    expect(() => buildTypedParams({ a: 1 }, {} as Record<'a', 'int'>)).toThrow(/no type/)
  })
})
