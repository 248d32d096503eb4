import { create } from 'zustand'
import { getApi } from '../../ipc/api'
import type { AppInfo } from '@common/contract/app'
import { initialAppState, type AppState, type LinkState } from './initial-state'

/** Actions of the app store. */
export interface AppActions {
  /** Fetches app facts once the link is up (or takes `reply`, a call already made). */
  loadInfo(reply?: Promise<AppInfo>): Promise<void>
  /** Records the link's state (set by start-up code and subscriptions). */
  internal_setLink(link: LinkState): void
}

/** The app store: link state and app facts. */
export const useAppStore = create<AppState & AppActions>()((set) => ({
  ...initialAppState,
  async loadInfo(reply = getApi().app.getInfo()) {
    set({ info: await reply })
  },
  internal_setLink(link) {
    set({ link })
  },
}))
