import { z } from 'zod'
import { event, method, service } from './define'

/** Light, dark, or whatever the OS uses. */
export const Theme = z.enum(['system', 'light', 'dark'])
/** Light, dark, or whatever the OS uses. */
export type Theme = z.infer<typeof Theme>

/** The languages the UI ships in. */
export const UiLanguage = z.enum(['en', 'zh-CN'])
/** One of the UI's languages. */
export type UiLanguage = z.infer<typeof UiLanguage>

/** Bounds of the settings that take numbers; the UI uses them for its inputs. */
export const SETTINGS_LIMITS = {
  statsIntervalSeconds: { min: 0.5, max: 60, step: 0.5 },
  shutdownTimeoutSeconds: { min: 5, max: 3600, step: 1 },
} as const

const { statsIntervalSeconds: stats, shutdownTimeoutSeconds: shutdown } = SETTINGS_LIMITS

/** The user's settings, persisted as settings.json in the user-data folder. */
export const Settings = z.object({
  /** How often live VM stats are fetched, in seconds. */
  statsIntervalSeconds: z
    .number()
    .min(stats.min, `At least ${stats.min} s`)
    .max(stats.max, `At most ${stats.max} s`),
  /** How long a graceful shutdown may take before the UI offers to force the VM off. */
  shutdownTimeoutSeconds: z
    .number()
    .int('Whole seconds')
    .min(shutdown.min, `At least ${shutdown.min} s`)
    .max(shutdown.max, `At most ${shutdown.max} s`),
  theme: Theme,
  /** null until the user picks one: the UI follows the OS language. */
  language: UiLanguage.nullable(),
})
/** The user's settings. */
export type Settings = z.infer<typeof Settings>

/** Settings before the user changes anything (in settings-defaults.ts, without zod). */
export { DEFAULT_SETTINGS } from './settings-defaults'

/** A change to some settings; unknown keys are refused. */
export const SettingsPatch = z.strictObject(Settings.shape).partial()
/** A change to some settings. */
export type SettingsPatch = z.infer<typeof SettingsPatch>

/** Told once after start-up: the settings file could not be used and was moved aside. */
export const SettingsNotice = z.object({
  /** Where the unusable file now is. */
  keptAs: z.string(),
  /** What was wrong with it. */
  reason: z.string(),
})
/** The settings file could not be used and was moved aside. */
export type SettingsNotice = z.infer<typeof SettingsNotice>

/** The settings and, when the file was unusable, a notice about it. */
export const SettingsState = z.object({
  settings: Settings,
  notice: SettingsNotice.optional(),
})
/** The settings and, when the file was unusable, a notice about it. */
export type SettingsState = z.infer<typeof SettingsState>

/** App settings: read, change (persisted at once), and changes pushed to every window. */
export const settings = service('settings', {
  get: method(z.void(), SettingsState),
  /** Applies and saves a change; resolves with the settings as saved. */
  update: method(SettingsPatch, Settings),
  /** Forgets the notice about an unusable settings file (the file stays where it was kept). */
  dismissNotice: method(z.void(), z.void()),
  onChanged: event(Settings),
})
