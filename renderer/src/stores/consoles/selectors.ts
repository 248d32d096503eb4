import { consoleKey, EMPTY_MONITOR_LOG, type ConsolesState } from './initial-state'

/** Derived views of the consoles store. */
export const consolesSelectors = {
  /** A VM's monitor log (a stable empty one before the first command). */
  monitor: (hostId: string, uuid: string) => (s: ConsolesState) =>
    s.monitor[consoleKey(hostId, uuid)] ?? EMPTY_MONITOR_LOG,
  /** Whether this page moved the VM's serial console to a window of its own. */
  serialInWindow: (hostId: string, uuid: string) => (s: ConsolesState) =>
    s.serialInWindow[consoleKey(hostId, uuid)] === true,
}
