import { create } from 'zustand'
import type {
  DeletePlan,
  DeleteResult,
  VmAction,
  VmJobProgress,
  VmList,
} from '@common/contract/vms'
import { getApi } from '../../ipc/api'
import { initialVmsState, type VmsState } from './initial-state'
import { stillUp, watchKey } from './shutdown-watch'

/** A VM as the actions name it: its UUID for the call, its name for messages. */
type VmTarget = { uuid: string; name: string }

/** Actions of the VM store. */
export interface VmsActions {
  /**
   * Fetches every connected host's list (at start-up; events keep it current), or takes
   * `reply`, a call already made.
   */
  load(reply?: Promise<VmList[]>): Promise<void>
  /**
   * Runs an action on several VMs of a host at once; resolves with each failure's message
   * (by VM name), empty when all succeeded. The new states arrive as list changes. A
   * shutdown that was accepted starts watching the VM (see shutdownsSince).
   */
  act(hostId: string, vms: VmTarget[], action: VmAction): Promise<string[]>
  /** Turns autostart on or off for several VMs; resolves with each failure's message. */
  setAutostart(hostId: string, vms: VmTarget[], autostart: boolean): Promise<string[]>
  /** What deleting a VM would remove (its disks, snapshots, NVRAM ...). */
  deletePlan(hostId: string, uuid: string): Promise<DeletePlan>
  /** Deletes a VM and the chosen volumes (paths); see the contract for what goes with it. */
  deleteVm(
    hostId: string,
    uuid: string,
    volumes: string[],
    keepNvram: boolean,
  ): Promise<DeleteResult>
  /** Stops offering Force off for a VM that was asked to shut down. */
  dismissShutdown(hostId: string, uuid: string): void
  /** Saves a VM's memory to a file on its host and stops it. */
  save(hostId: string, uuid: string, path: string): Promise<void>
  /** Starts a VM again from a saved file. */
  restore(hostId: string, path: string): Promise<void>
  /** Replaces one host's list (pushed by main); ends the watch of VMs that got off. */
  internal_setList(list: VmList): void
  /** Takes a job's progress (pushed by main); a finished job is dropped. */
  internal_setJob(progress: VmJobProgress): void
}

/** Each rejected result's message, prefixed with its VM's name. */
function failures(targets: VmTarget[], results: PromiseSettledResult<unknown>[]): string[] {
  return results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${targets[i]!.name}: ${(r.reason as Error).message}`] : [],
  )
}

/** The VM store: each host's VMs. */
export const useVmsStore = create<VmsState & VmsActions>()((set, get) => ({
  ...initialVmsState,
  async load(reply = getApi().vms.lists()) {
    const lists = await reply
    set({ byHost: Object.fromEntries(lists.map((l) => [l.hostId, l.vms])) })
  },
  async act(hostId, targets, action) {
    const results = await Promise.allSettled(
      targets.map((vm) => getApi().vms.act({ hostId, uuid: vm.uuid, action })),
    )
    if (action === 'shutdown') {
      const since = { ...get().shutdownsSince }
      const now = Date.now()
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') since[watchKey(hostId, targets[i]!.uuid)] = now
      })
      set({ shutdownsSince: since })
    }
    return failures(targets, results)
  },
  async setAutostart(hostId, targets, autostart) {
    const results = await Promise.allSettled(
      targets.map((vm) => getApi().vms.setAutostart({ hostId, uuid: vm.uuid, autostart })),
    )
    return failures(targets, results)
  },
  deletePlan(hostId, uuid) {
    return getApi().vms.deletePlan({ hostId, uuid })
  },
  deleteVm(hostId, uuid, volumes, keepNvram) {
    return getApi().vms.delete({ hostId, uuid, volumes, keepNvram })
  },
  dismissShutdown(hostId, uuid) {
    const { [watchKey(hostId, uuid)]: _gone, ...rest } = get().shutdownsSince
    set({ shutdownsSince: rest })
  },
  async save(hostId, uuid, path) {
    await getApi().vms.save({ hostId, uuid, path })
  },
  async restore(hostId, path) {
    await getApi().vms.restore({ hostId, path })
  },
  internal_setJob(progress) {
    const key = watchKey(progress.hostId, progress.uuid)
    const { [key]: _previous, ...others } = get().jobs
    set({ jobs: progress.finished ? others : { ...others, [key]: progress } })
  },
  internal_setList({ hostId, vms }) {
    const states = new Map(vms.map((vm) => [watchKey(hostId, vm.uuid), vm.state]))
    const watched = Object.entries(get().shutdownsSince)
    const kept = watched.filter(
      ([key]) => !key.startsWith(`${hostId}\n`) || stillUp(states.get(key)),
    )
    set({
      byHost: { ...get().byHost, [hostId]: vms },
      ...(kept.length !== watched.length && { shutdownsSince: Object.fromEntries(kept) }),
    })
  },
}))
