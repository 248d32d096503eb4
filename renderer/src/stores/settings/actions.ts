import type { StateCreator } from 'zustand'
import type {
  Settings,
  SettingsPatch,
  SettingsState as SettingsReply,
} from '@common/contract/settings'
import { getApi } from '../../ipc/api'
import type { SettingsState } from './initial-state'

/** Actions of the settings store. */
export interface SettingsActions {
  /**
   * Fetches the settings (and any notice about an unusable file), or takes `reply`, a call
   * already made. Never rejects.
   */
  load(reply?: Promise<SettingsReply>): Promise<void>
  /** Saves a change in main; rejects with main's message (e.g. a value out of range). */
  update(patch: SettingsPatch): Promise<Settings>
  /** Hides the notice about an unusable settings file, here and in main. */
  dismissNotice(): Promise<void>
  /** Records settings pushed by main after any change (from any window). */
  internal_setSettings(settings: Settings): void
}

/** The settings store's actions, as a zustand slice. */
export const createSettingsActions: StateCreator<
  SettingsState & SettingsActions,
  [],
  [],
  SettingsActions
> = (set) => ({
  async load(reply) {
    try {
      const { settings, notice } = await (reply ?? getApi().settings.get())
      set({ settings, notice, loaded: true, loadError: undefined })
    } catch (err) {
      set({ loadError: (err as Error).message })
    }
  },
  async update(patch) {
    const settings = await getApi().settings.update(patch)
    set({ settings })
    return settings
  },
  async dismissNotice() {
    set({ notice: undefined })
    await getApi().settings.dismissNotice()
  },
  internal_setSettings(settings) {
    set({ settings })
  },
})
