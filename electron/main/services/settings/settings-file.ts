import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { DEFAULT_SETTINGS, Settings, type SettingsNotice } from '@common/contract/settings'

/** The on-disk shape: a version, then any settings (missing ones take their defaults). */
const StoredSettings = z.object({ version: z.literal(1) }).extend(Settings.partial().shape)

/** settings.json could not be used: not JSON, or a value out of range. */
export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError'
}

/** What reading settings.json gave: the settings, and a notice when the file was unusable. */
export interface LoadedSettings {
  settings: Settings
  notice?: SettingsNotice
}

/**
 * Reads settings from the text of settings.json. Keys it does not know are ignored (a newer
 * app may add some); missing ones take their defaults.
 * @throws SettingsFileError saying what is wrong
 */
export function parseSettings(text: string): Settings {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new SettingsFileError(`not valid JSON (${(err as Error).message})`)
  }
  const parsed = StoredSettings.safeParse(data)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)
    throw new SettingsFileError(issues.join('; '))
  }
  const { version: _version, ...values } = parsed.data
  const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined))
  return { ...DEFAULT_SETTINGS, ...defined }
}

/** The text written to settings.json. */
export function formatSettings(settings: Settings): string {
  return `${JSON.stringify({ version: 1, ...settings }, null, 2)}\n`
}

/**
 * Loads settings.json. A missing file gives the defaults. A file that is not JSON or holds a
 * bad value is moved aside (settings.json.bad, or .bad-2 ... when that name is taken: never
 * deleted, never overwritten) and the defaults are used, with a notice saying so.
 * @throws only when the file exists but cannot be read or moved (permissions)
 */
export async function loadSettingsFile(
  file: string,
  log: (message: string) => void = console.warn,
): Promise<LoadedSettings> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS }
    throw err
  }
  try {
    return { settings: parseSettings(text) }
  } catch (err) {
    if (!(err instanceof SettingsFileError)) throw err
    const keptAs = await keepAside(file)
    log(`Settings file ${file} is unusable (${err.message}); kept it as ${keptAs}, using defaults`)
    return { settings: DEFAULT_SETTINGS, notice: { keptAs, reason: err.message } }
  }
}

/** Writes settings.json through a temporary file, so a crash never leaves half a file. */
export async function saveSettingsFile(file: string, settings: Settings): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, formatSettings(settings), { mode: 0o600 })
  await rename(tmp, file)
}

/** Moves `file` to the first free name of `file.bad`, `file.bad-2`, ... and returns it. */
async function keepAside(file: string): Promise<string> {
  for (let n = 1; ; n++) {
    const aside = n === 1 ? `${file}.bad` : `${file}.bad-${n}`
    if (await exists(aside)) continue
    await rename(file, aside)
    return aside
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}
