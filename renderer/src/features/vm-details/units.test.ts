import { describe, expect, it } from 'vitest'
import { byteUnit, formatBytes, formatKiB } from './units'

describe('units', () => {
  it('picks the largest binary unit that keeps the value at least 1', () => {
    expect(byteUnit(0)).toEqual({ name: 'B', divisor: 1 })
    expect(byteUnit(1023)).toEqual({ name: 'B', divisor: 1 })
    expect(byteUnit(1024)).toEqual({ name: 'KiB', divisor: 1024 })
    expect(byteUnit(5 * 1024 ** 3)).toEqual({ name: 'GiB', divisor: 1024 ** 3 })
    expect(byteUnit(1024 ** 6).name).toBe('TiB')
  })

  it('formats sizes with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatKiB(262144)).toBe('256 MiB')
    expect(formatKiB(2 * 1024 * 1024)).toBe('2.0 GiB')
  })
})
