import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '@common/contract/settings'
import type { Api } from '../../ipc/client'
import { setApi } from '../../ipc/api'
import { initialSettingsState } from './initial-state'
import { settingsSelectors } from './selectors'
import { useSettingsStore } from './store'

/** A stand-in for main's settings service, recording calls. */
function fakeApi(saved: Settings, notice?: { keptAs: string; reason: string }) {
  const calls: string[] = []
  let current = saved
  const settings = {
    get: async () => ({ settings: current, ...(notice && { notice }) }),
    update: async (patch: SettingsPatch) => {
      calls.push(`update ${JSON.stringify(patch)}`)
      if ((patch.statsIntervalSeconds ?? 1) > 60)
        throw new Error('statsIntervalSeconds: At most 60 s')
      current = { ...current, ...patch } as Settings
      return current
    },
    dismissNotice: async () => {
      calls.push('dismiss')
    },
  }
  setApi({ settings } as unknown as Api)
  return calls
}

beforeEach(() => useSettingsStore.setState(initialSettingsState))

describe('settings store', () => {
  it('starts from the defaults and loads what main has, with its notice', async () => {
    expect(settingsSelectors.shutdownTimeoutSeconds(useSettingsStore.getState())).toBe(60)
    fakeApi({ ...DEFAULT_SETTINGS, theme: 'dark' }, { keptAs: '/x.bad', reason: 'not JSON' })
    await useSettingsStore.getState().load()
    const state = useSettingsStore.getState()
    expect(state.loaded).toBe(true)
    expect(settingsSelectors.theme(state)).toBe('dark')
    expect(settingsSelectors.notice(state)?.keptAs).toBe('/x.bad')
  })

  it('saves a change through main, and keeps the old value when main refuses', async () => {
    const calls = fakeApi(DEFAULT_SETTINGS)
    await useSettingsStore.getState().update({ statsIntervalSeconds: 2.5 })
    expect(settingsSelectors.statsIntervalSeconds(useSettingsStore.getState())).toBe(2.5)
    await expect(useSettingsStore.getState().update({ statsIntervalSeconds: 99 })).rejects.toThrow(
      /At most 60 s/,
    )
    expect(settingsSelectors.statsIntervalSeconds(useSettingsStore.getState())).toBe(2.5)
    expect(calls).toEqual([
      'update {"statsIntervalSeconds":2.5}',
      'update {"statsIntervalSeconds":99}',
    ])
  })

  it('takes settings pushed by main, and dismisses the notice in main too', async () => {
    const calls = fakeApi(DEFAULT_SETTINGS, { keptAs: '/x.bad', reason: 'r' })
    await useSettingsStore.getState().load()
    useSettingsStore.getState().internal_setSettings({ ...DEFAULT_SETTINGS, language: 'zh-CN' })
    expect(settingsSelectors.language(useSettingsStore.getState())).toBe('zh-CN')
    await useSettingsStore.getState().dismissNotice()
    expect(useSettingsStore.getState().notice).toBeUndefined()
    expect(calls).toEqual(['dismiss'])
  })
})
