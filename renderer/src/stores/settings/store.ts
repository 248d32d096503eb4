import { create } from 'zustand'
import { createSettingsActions, type SettingsActions } from './actions'
import { initialSettingsState, type SettingsState } from './initial-state'

/** The settings store: the app's settings, kept in step with main. */
export const useSettingsStore = create<SettingsState & SettingsActions>()((...args) => ({
  ...initialSettingsState,
  ...createSettingsActions(...args),
}))
