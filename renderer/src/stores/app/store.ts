import { create } from 'zustand'
import { getApi } from '../../ipc/api'
import { initialAppState, type AppState, type LinkState } from './initial-state'

/** Actions of the app store. */
export interface AppActions {
  /** Fetches app facts once the link is up. */
  loadInfo(): Promise<void>
  /** Records the link's state (set by start-up code and subscriptions). */
  internal_setLink(link: LinkState): void
}

/** The app store: link state and app facts. */
export const useAppStore = create<AppState & AppActions>()((set) => ({
  ...initialAppState,
  async loadInfo() {
    set({ info: await getApi().app.getInfo() })
  },
  internal_setLink(link) {
    set({ link })
  },
}))
