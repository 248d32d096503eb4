import type { StateCreator } from 'zustand'
import type { HostConnection, HostEntry, PromptAnswer, UriTarget } from '@common/contract/hosts'
import { getApi } from '../../ipc/api'
import type { HostsState } from './initial-state'

/** Actions of the hosts store. Errors from main reject; dialogs show their message. */
export interface HostsActions {
  /** Loads the saved hosts and their connections, then runs local discovery. */
  load(): Promise<void>
  /**
   * Loads the saved hosts and their connections, or takes `replies`, calls already made; a
   * failure is kept in `loadError`, never thrown.
   */
  loadHosts(replies?: {
    hosts: Promise<HostEntry[]>
    connections: Promise<HostConnection[]>
  }): Promise<void>
  /** Looks for local daemons again. */
  discover(): Promise<void>
  /** Checks a URI without saving it; resolves with what it reaches, rejects with why not. */
  checkUri(uri: string): Promise<UriTarget>
  /** Saves a host and selects it. */
  add(uri: string, name?: string): Promise<HostEntry>
  rename(id: string, name: string): Promise<void>
  remove(id: string): Promise<void>
  /** Selects a host, or the welcome screen with undefined. */
  select(id: string | undefined): void
  /** Connects a host now (also skips the wait before a retry). */
  connect(id: string): Promise<void>
  /** Closes a host's connection and stops retrying. */
  disconnect(id: string): Promise<void>
  /** Fetches a connected host's facts into `overviews`. */
  loadOverview(id: string): Promise<void>
  /** Answers a host's pending prompt (trust a host key, a password, or cancel). */
  answerPrompt(promptId: string, answer: PromptAnswer): Promise<void>
  /** Records a host's connection state (pushed by main). */
  internal_setConnection(state: HostConnection): void
  /** Replaces the list (pushed by main after any change). */
  internal_setHosts(hosts: HostEntry[]): void
}

/** The hosts store's actions, as a zustand slice. */
export const createHostsActions: StateCreator<HostsState & HostsActions, [], [], HostsActions> = (
  set,
  get,
) => ({
  async load() {
    await get().loadHosts()
    await get().discover()
  },
  async loadHosts(replies) {
    try {
      const [hosts, connections] = await Promise.all([
        replies?.hosts ?? getApi().hosts.list(),
        replies?.connections ?? getApi().hosts.connections(),
      ])
      set({
        hosts,
        connections: Object.fromEntries(connections.map((c) => [c.id, c])),
        loadError: undefined,
      })
    } catch (err) {
      set({ loadError: (err as Error).message })
    }
  },
  async discover() {
    set({ discovering: true })
    try {
      set({ discovery: await getApi().hosts.discoverLocal() })
    } finally {
      set({ discovering: false })
    }
  },
  async checkUri(uri) {
    return (await getApi().hosts.checkUri({ uri })).target
  },
  async add(uri, name) {
    const host = await getApi().hosts.add(name ? { uri, name } : { uri })
    get().internal_setHosts(upsert(get().hosts, host))
    set({ selectedId: host.id })
    void get().discover()
    return host
  },
  async rename(id, name) {
    const host = await getApi().hosts.rename({ id, name })
    get().internal_setHosts(upsert(get().hosts, host))
  },
  async remove(id) {
    await getApi().hosts.remove({ id })
    get().internal_setHosts(get().hosts.filter((h) => h.id !== id))
    void get().discover()
  },
  async connect(id) {
    await getApi().hosts.connect({ id })
  },
  async disconnect(id) {
    await getApi().hosts.disconnect({ id })
  },
  async loadOverview(id) {
    const overview = await getApi().hosts.overview({ id })
    set({ overviews: { ...get().overviews, [id]: overview } })
  },
  async answerPrompt(promptId, answer) {
    await getApi().hosts.answerPrompt({ id: promptId, answer })
  },
  internal_setConnection(state) {
    set({ connections: { ...get().connections, [state.id]: state } })
  },
  select(id) {
    set({ selectedId: id })
  },
  internal_setHosts(hosts) {
    const { selectedId } = get()
    const stillThere = selectedId === undefined || hosts.some((h) => h.id === selectedId)
    set({ hosts, ...(stillThere ? {} : { selectedId: undefined }) })
  },
})

function upsert(list: HostEntry[], host: HostEntry): HostEntry[] {
  return list.some((h) => h.id === host.id)
    ? list.map((h) => (h.id === host.id ? host : h))
    : [...list, host]
}
