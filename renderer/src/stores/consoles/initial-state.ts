/** One command of the QEMU monitor and what came back. */
export interface MonitorEntry {
  id: number
  command: string
  /** QEMU's answer; undefined while the command runs or when it failed. */
  output: string | undefined
  /** libvirt's (or QEMU's) error text when the command failed. */
  error: string | undefined
}

/** A VM's monitor tab: what was run, and the commands to recall with the arrow keys. */
export interface MonitorLog {
  entries: MonitorEntry[]
  /** Commands run, oldest first, without consecutive repeats. */
  history: string[]
}

/** Monitor logs by {@link consoleKey}, kept while the app runs (tabs come and go). */
export interface ConsolesState {
  monitor: Record<string, MonitorLog>
  /**
   * Serial consoles this page moved to a window of their own, by {@link consoleKey}: the
   * details leave the console to that window instead of taking it back.
   */
  serialInWindow: Record<string, true>
}

/** The key of a VM in this store. */
export const consoleKey = (hostId: string, uuid: string): string => `${hostId}/${uuid}`

/** Most entries a monitor log keeps (older ones scroll away). */
export const MONITOR_ENTRIES_MAX = 200
/** Most commands the history keeps. */
export const MONITOR_HISTORY_MAX = 100

/** An empty monitor log. */
export const EMPTY_MONITOR_LOG: MonitorLog = { entries: [], history: [] }

/** Nothing run yet. */
export const initialConsolesState: ConsolesState = { monitor: {}, serialInWindow: {} }
