import { describe, expect, it } from 'vitest'
import { formatUuid, formatVersion, parseUuid } from './format'

describe('format', () => {
  it('UUIDs: 16 bytes <-> text', () => {
    const text = 'c3190a18-9219-4740-be63-44d76b670f16'
    const bytes = parseUuid(text)
    expect(bytes.byteLength).toBe(16)
    expect(bytes[0]).toBe(0xc3)
    expect(formatUuid(bytes)).toBe(text)
    expect(formatUuid(parseUuid(text.toUpperCase().replaceAll('-', '')))).toBe(text)
    expect(() => parseUuid('nope')).toThrow(RangeError)
    expect(() => formatUuid(new Uint8Array(15))).toThrow(RangeError)
  })

  it('versions: major * 1e6 + minor * 1e3 + micro', () => {
    expect(formatVersion(9000000n)).toBe('9.0.0')
    expect(formatVersion(7002022)).toBe('7.2.22')
    expect(formatVersion(11007000n)).toBe('11.7.0')
  })
})
