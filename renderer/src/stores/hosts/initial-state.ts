import type {
  HostConnection,
  HostEntry,
  HostOverview,
  LocalDiscovery,
} from '@common/contract/hosts'

/** The host list, what local discovery found, and which host is selected. */
export interface HostsState {
  hosts: HostEntry[]
  /** Each host's connection, by host id. */
  connections: Record<string, HostConnection>
  /** Facts about connected hosts, by host id, once fetched. */
  overviews: Record<string, HostOverview>
  /** Undefined until the first discovery finishes. */
  discovery: LocalDiscovery | undefined
  discovering: boolean
  /** Undefined: the welcome screen. */
  selectedId: string | undefined
  /** The last failed load, shown in place of the list. */
  loadError: string | undefined
}

/** State before anything is loaded. */
export const initialHostsState: HostsState = {
  hosts: [],
  connections: {},
  overviews: {},
  discovery: undefined,
  discovering: false,
  selectedId: undefined,
  loadError: undefined,
}
