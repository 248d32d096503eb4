import { create } from 'zustand'
import type { VmAction, VmList } from '@common/contract/vms'
import { getApi } from '../../ipc/api'
import { initialVmsState, type VmsState } from './initial-state'

/** Actions of the VM store. */
export interface VmsActions {
  /** Fetches every connected host's list (at start-up; events keep it current). */
  load(): Promise<void>
  /**
   * Runs an action on several VMs of a host at once; resolves with each failure's message
   * (by VM name), empty when all succeeded. The new states arrive as list changes.
   */
  act(hostId: string, vms: { uuid: string; name: string }[], action: VmAction): Promise<string[]>
  /** Saves a VM's memory to a file on its host and stops it. */
  save(hostId: string, uuid: string, path: string): Promise<void>
  /** Starts a VM again from a saved file. */
  restore(hostId: string, path: string): Promise<void>
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
  async act(hostId, targets, action) {
    const results = await Promise.allSettled(
      targets.map((vm) => getApi().vms.act({ hostId, uuid: vm.uuid, action })),
    )
    return results.flatMap((r, i) =>
      r.status === 'rejected' ? [`${targets[i]!.name}: ${(r.reason as Error).message}`] : [],
    )
  },
  async save(hostId, uuid, path) {
    await getApi().vms.save({ hostId, uuid, path })
  },
  async restore(hostId, path) {
    await getApi().vms.restore({ hostId, path })
  },
  internal_setList({ hostId, vms }) {
    set({ byHost: { ...get().byHost, [hostId]: vms } })
  },
}))
