import { describe, expect, it } from 'vitest'
import { formatLocalDateTime } from './local-date-time'

describe('formatLocalDateTime', () => {
  it('writes the local date and time with zero-padded fields', () => {
    expect(formatLocalDateTime(new Date(2026, 0, 5, 7, 3, 59))).toBe('2026-01-05 07:03')
    expect(formatLocalDateTime(new Date(2025, 11, 31, 23, 59))).toBe('2025-12-31 23:59')
  })

  it('gives an empty string for an invalid date', () => {
    expect(formatLocalDateTime(new Date('not a date'))).toBe('')
  })
})
