import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, Settings, settings } from './settings'

describe('settings contract', () => {
  const update = settings.spec.update.input

  it('has defaults that pass their own schema', () => {
    expect(Settings.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS)
  })

  it('accepts a change to one setting or several', () => {
    expect(update.parse({ statsIntervalSeconds: 2.5 })).toEqual({ statsIntervalSeconds: 2.5 })
    expect(update.parse({ theme: 'dark', language: 'zh-CN' })).toEqual({
      theme: 'dark',
      language: 'zh-CN',
    })
    expect(update.parse({ language: null })).toEqual({ language: null })
    expect(update.parse({})).toEqual({})
  })

  it('refuses values out of range, of the wrong type, and keys it does not know', () => {
    for (const bad of [
      { statsIntervalSeconds: 0.4 },
      { statsIntervalSeconds: 61 },
      { statsIntervalSeconds: '1' },
      { shutdownTimeoutSeconds: 4 },
      { shutdownTimeoutSeconds: 30.5 },
      { theme: 'purple' },
      { language: 'de' },
      { statsIntervalSeconds: 1, password: 'x' },
    ]) {
      expect(update.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })

  it('words a range error for people', () => {
    const result = update.safeParse({ statsIntervalSeconds: 0.1 })
    expect(result.error?.issues[0]?.message).toBe('At least 0.5 s')
  })
})
