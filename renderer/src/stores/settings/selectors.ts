import type { SettingsState } from './initial-state'

/** Derived views of the settings store. */
export const settingsSelectors = {
  /** How often live stats arrive, in seconds. */
  statsIntervalSeconds: (s: SettingsState) => s.settings.statsIntervalSeconds,
  /** How long a graceful shutdown may take before offering to force the VM off, in seconds. */
  shutdownTimeoutSeconds: (s: SettingsState) => s.settings.shutdownTimeoutSeconds,
  theme: (s: SettingsState) => s.settings.theme,
  /** The chosen language, or null to follow the OS. */
  language: (s: SettingsState) => s.settings.language,
  notice: (s: SettingsState) => s.notice,
}
