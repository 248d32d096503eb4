import { create } from 'zustand'
import { createHostsActions, type HostsActions } from './actions'
import { initialHostsState, type HostsState } from './initial-state'

/** The hosts store: saved hosts, local discovery, selection. */
export const useHostsStore = create<HostsState & HostsActions>()((...args) => ({
  ...initialHostsState,
  ...createHostsActions(...args),
}))
