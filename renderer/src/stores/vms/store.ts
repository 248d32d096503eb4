import { create } from 'zustand'
import type { VmList } from '@common/contract/vms'
import { getApi } from '../../ipc/api'
import { initialVmsState, type VmsState } from './initial-state'

/** Actions of the VM store. */
export interface VmsActions {
  /** Fetches every connected host's list (at start-up; events keep it current). */
  load(): Promise<void>
  /** Replaces one host's list (pushed by main). */
  internal_setList(list: VmList): void
}

/** The VM store: each host's VMs. */
export const useVmsStore = create<VmsState & VmsActions>()((set, get) => ({
  ...initialVmsState,
  async load() {
    const lists = await getApi().vms.lists()
    set({ byHost: Object.fromEntries(lists.map((l) => [l.hostId, l.vms])) })
  },
  internal_setList({ hostId, vms }) {
    set({ byHost: { ...get().byHost, [hostId]: vms } })
  },
}))
