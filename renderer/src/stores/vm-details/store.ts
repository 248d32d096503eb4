import { create } from 'zustand'
import { getApi } from '../../ipc/api'
import { detailsKey, initialVmDetailsState, xmlKey, type VmDetailsState } from './initial-state'

/** Actions of the VM details store. Failures reject with main's message. */
export interface VmDetailsActions {
  /** Fetches (or refreshes) a VM's details. */
  load(hostId: string, uuid: string): Promise<void>
  /** Fetches (or refreshes) a VM's XML: live, or the persistent definition. */
  loadXml(hostId: string, uuid: string, inactive: boolean): Promise<void>
}

/**
 * The newest request per key: a reply to an older one (a refresh overtaken by the next
 * state change) is dropped instead of overwriting newer facts.
 */
const latest = new Map<string, number>()
let requests = 0

async function newest<T>(key: string, fetch: () => Promise<T>): Promise<T | undefined> {
  const id = ++requests
  latest.set(key, id)
  const value = await fetch()
  return latest.get(key) === id ? value : undefined
}

/** The VM details store: details and XML of the VMs the user opened. */
export const useVmDetailsStore = create<VmDetailsState & VmDetailsActions>()((set, get) => ({
  ...initialVmDetailsState,
  async load(hostId, uuid) {
    const key = detailsKey(hostId, uuid)
    const details = await newest(key, () => getApi().vmDetails.get({ hostId, uuid }))
    if (details) set({ details: { ...get().details, [key]: details } })
  },
  async loadXml(hostId, uuid, inactive) {
    const key = xmlKey(hostId, uuid, inactive)
    const xml = await newest(`xml:${key}`, () => getApi().vmDetails.xml({ hostId, uuid, inactive }))
    if (xml !== undefined) set({ xml: { ...get().xml, [key]: xml } })
  },
}))
