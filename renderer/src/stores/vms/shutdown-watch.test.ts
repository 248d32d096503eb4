import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  formatElapsed,
  shutdownTimeoutMs,
  stillUp,
} from './shutdown-watch'

describe('shutdown watch helpers', () => {
  it('takes the timeout from ?shutdownTimeout=SECONDS, within 1 s to 1 h, else the default', () => {
    expect(DEFAULT_SHUTDOWN_TIMEOUT_MS).toBe(60_000)
    expect(shutdownTimeoutMs('')).toBe(60_000)
    expect(shutdownTimeoutMs('?shutdownTimeout=3')).toBe(3000)
    expect(shutdownTimeoutMs('?a=1&shutdownTimeout=3600')).toBe(3_600_000)
    for (const bad of ['0', '3601', '-5', '2.5', '1e3', 'soon', '']) {
      expect(shutdownTimeoutMs(`?shutdownTimeout=${bad}`)).toBe(60_000)
    }
  })

  it('formats elapsed time as m:ss, with hours when needed', () => {
    expect(formatElapsed(0)).toBe('0:00')
    expect(formatElapsed(65_400)).toBe('1:05')
    expect(formatElapsed(3_725_000)).toBe('1:02:05')
    expect(formatElapsed(-10)).toBe('0:00')
  })

  it('counts a VM as still up until it is off or gone', () => {
    expect(stillUp('running')).toBe(true)
    expect(stillUp('shutdown')).toBe(true)
    expect(stillUp('shutoff')).toBe(false)
    expect(stillUp('crashed')).toBe(false)
    expect(stillUp(undefined)).toBe(false)
  })
})
