import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS } from '@common/contract/settings'
import { loadSettingsFile, parseSettings, saveSettingsFile } from './settings-file'
import { SettingsStore } from './settings-store'

let dir: string
let file: string
let logged: string[]
const log = (m: string) => logged.push(m)

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-settings-'))
  file = join(dir, 'settings.json')
  logged = []
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('settings.json', () => {
  it('gives the defaults when the file is missing, without a notice', async () => {
    expect(await loadSettingsFile(file, log)).toEqual({ settings: DEFAULT_SETTINGS })
    expect(logged).toEqual([])
  })

  it('reads a valid file; missing keys take defaults, unknown keys are ignored', async () => {
    await writeFile(file, '{"version":1,"statsIntervalSeconds":2.5,"theme":"dark","later":true}')
    expect(await loadSettingsFile(file, log)).toEqual({
      settings: { ...DEFAULT_SETTINGS, statsIntervalSeconds: 2.5, theme: 'dark' },
    })
  })

  it('keeps a corrupt file aside as settings.json.bad and uses the defaults, with a notice', async () => {
    await writeFile(file, '{"version":1,"theme":')
    const loaded = await loadSettingsFile(file, log)
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
    expect(loaded.notice?.keptAs).toBe(`${file}.bad`)
    expect(loaded.notice?.reason).toMatch(/^not valid JSON/)
    expect(await readFile(`${file}.bad`, 'utf8')).toBe('{"version":1,"theme":')
    expect(await readdir(dir)).toEqual(['settings.json.bad'])
    expect(logged[0]).toContain('kept it as')
  })

  it('keeps an invalid file aside too, never overwriting an earlier .bad', async () => {
    await writeFile(`${file}.bad`, 'older')
    await writeFile(file, '{"version":1,"statsIntervalSeconds":0.1}')
    const loaded = await loadSettingsFile(file, log)
    expect(loaded.notice).toEqual({
      keptAs: `${file}.bad-2`,
      reason: 'statsIntervalSeconds: At least 0.5 s',
    })
    expect(await readFile(`${file}.bad`, 'utf8')).toBe('older')
    await writeFile(file, '{"version":2}')
    expect((await loadSettingsFile(file, log)).notice?.keptAs).toBe(`${file}.bad-3`)
  })

  it.each([
    ['[]', /expected object/],
    ['{"theme":"dark"}', /version/],
    ['{"version":1,"language":"de"}', /^language:/],
    ['{"version":1,"shutdownTimeoutSeconds":"60"}', /^shutdownTimeoutSeconds:/],
  ])('refuses %s', (text, reason) => {
    expect(() => parseSettings(text)).toThrow(reason)
  })

  it('writes atomically, private to the user, and reads back what it wrote', async () => {
    const settings = { ...DEFAULT_SETTINGS, language: 'zh-CN' as const }
    await saveSettingsFile(file, settings)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['settings.json'])
    expect((await loadSettingsFile(file)).settings).toEqual(settings)
  })
})

describe('SettingsStore', () => {
  it('saves each change, announces it, and refuses a bad value without changing anything', async () => {
    const store = await SettingsStore.open(file, log)
    const seen: number[] = []
    store.onChanged((s) => seen.push(s.statsIntervalSeconds))
    await Promise.all([
      store.update({ statsIntervalSeconds: 2 }),
      store.update({ statsIntervalSeconds: 3 }),
    ])
    expect(seen).toEqual([2, 3])
    await expect(store.update({ statsIntervalSeconds: 100 })).rejects.toThrow(/At most 60 s/)
    expect(store.current.statsIntervalSeconds).toBe(3)
    const reopened = await SettingsStore.open(file, log)
    expect(reopened.current).toEqual({ ...DEFAULT_SETTINGS, statsIntervalSeconds: 3 })
    expect(reopened.notice).toBeUndefined()
    store.dispose()
    reopened.dispose()
  })

  it('keeps the notice about an unusable file until it is dismissed', async () => {
    await writeFile(file, 'not json')
    const store = await SettingsStore.open(file, log)
    expect(store.notice?.keptAs).toBe(`${file}.bad`)
    await store.update({ theme: 'light' })
    expect(store.notice).toBeDefined()
    store.dismissNotice()
    expect(store.notice).toBeUndefined()
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      ...DEFAULT_SETTINGS,
      theme: 'light',
    })
  })
})
