import type { Settings, SettingsNotice } from '@common/contract/settings'
import { DEFAULT_SETTINGS } from '@common/contract/settings-defaults'

/** The app's settings as main holds them. */
export interface SettingsState {
  /** The defaults until main has answered. */
  settings: Settings
  /** Whether main has answered. */
  loaded: boolean
  /** The settings file was unusable at start-up and was moved aside. */
  notice: SettingsNotice | undefined
  /** The last failed load. */
  loadError: string | undefined
}

/** State before main has answered. */
export const initialSettingsState: SettingsState = {
  settings: DEFAULT_SETTINGS,
  loaded: false,
  notice: undefined,
  loadError: undefined,
}
