import { create } from 'zustand'
import { CONSOLE_BUSY, type SerialDevice } from '@common/contract/consoles'
import { getApi } from '../../ipc/api'
import { openByteSocket, type ByteSocket } from '../../ipc/byte-socket'
import {
  consoleKey,
  EMPTY_MONITOR_LOG,
  initialConsolesState,
  MONITOR_ENTRIES_MAX,
  MONITOR_HISTORY_MAX,
  type ConsolesState,
  type MonitorEntry,
  type MonitorLog,
} from './initial-state'

/** Actions of the consoles store. Failures reject with main's error (its code says why). */
export interface ConsolesActions {
  /** A VM's serial ports and consoles, and which ones can be opened. */
  serialDevices(hostId: string, uuid: string): Promise<SerialDevice[]>
  /**
   * Opens a serial console and its byte channel (acknowledged by the caller once written).
   * Rejects with code `console-busy` when another client holds it and `force` is off.
   */
  openSerial(hostId: string, uuid: string, device?: string, force?: boolean): Promise<ByteSocket>
  /** Runs an HMP command on the VM's QEMU monitor; the answer or error lands in its log. */
  runMonitor(hostId: string, uuid: string, command: string): Promise<void>
  /** Forgets a VM's monitor output (the history stays). */
  clearMonitor(hostId: string, uuid: string): void
  /** Notes that a VM's serial console moved to a window of its own, or came back. */
  setSerialInWindow(hostId: string, uuid: string, inWindow: boolean): void
  /**
   * A console window was just opened for this VM by another page of the app, which closed
   * its own session of the console: a "busy" answer in the next moments is that session
   * going away, so opening it is retried instead.
   */
  expectHandOver(hostId: string, uuid: string): void
}

let nextEntryId = 1

/**
 * When this page (or the page that handed the console over to this one) closed a VM's
 * console, by key. Main aborts the stream when the channel closes, but a reopen travels on
 * the IPC socket and may reach libvirt first: then the console is still "busy" with our own
 * old session, and the open is retried shortly instead.
 */
const closedAt = new Map<string, number>()
/** How long after our own close a busy console is taken for our old session. */
const OWN_CLOSE_GRACE_MS = 3000
const BUSY_RETRY_MS = 250

const isBusy = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === CONSOLE_BUSY

/** The consoles store: the calls behind serial consoles and the monitor, and monitor logs. */
export const useConsolesStore = create<ConsolesState & ConsolesActions>()((set, get) => {
  const update = (key: string, change: (log: MonitorLog) => MonitorLog) =>
    set({ monitor: { ...get().monitor, [key]: change(get().monitor[key] ?? EMPTY_MONITOR_LOG) } })
  const settle = (key: string, id: number, patch: Partial<MonitorEntry>) =>
    update(key, (log) => ({
      ...log,
      entries: log.entries.map((e) => (e.id === id ? { ...e, ...patch } : e)),
    }))
  return {
    ...initialConsolesState,
    serialDevices(hostId, uuid) {
      return getApi().consoles.serialDevices({ hostId, uuid })
    },
    async openSerial(hostId, uuid, device, force) {
      const key = consoleKey(hostId, uuid)
      const input = { hostId, uuid, ...(device ? { device } : {}), ...(force ? { force } : {}) }
      let ticket: string
      for (;;) {
        try {
          ;({ ticket } = await getApi().consoles.openSerial(input))
          break
        } catch (err) {
          const ownClose = closedAt.get(key)
          if (!isBusy(err) || ownClose === undefined || Date.now() - ownClose > OWN_CLOSE_GRACE_MS)
            throw err
          await new Promise((r) => setTimeout(r, BUSY_RETRY_MS))
        }
      }
      const socket = openByteSocket(ticket, { autoAck: false })
      const close = socket.close.bind(socket)
      socket.close = () => {
        closedAt.set(key, Date.now())
        close()
      }
      return socket
    },
    async runMonitor(hostId, uuid, command) {
      const key = consoleKey(hostId, uuid)
      const id = nextEntryId++
      const entry: MonitorEntry = { id, command, output: undefined, error: undefined }
      update(key, (log) => ({
        entries: [...log.entries, entry].slice(-MONITOR_ENTRIES_MAX),
        history: (log.history.at(-1) === command ? log.history : [...log.history, command]).slice(
          -MONITOR_HISTORY_MAX,
        ),
      }))
      try {
        const output = await getApi().consoles.monitor({ hostId, uuid, command })
        settle(key, id, { output })
      } catch (err) {
        settle(key, id, { error: err instanceof Error ? err.message : String(err) })
      }
    },
    clearMonitor(hostId, uuid) {
      update(consoleKey(hostId, uuid), (log) => ({ ...log, entries: [] }))
    },
    setSerialInWindow(hostId, uuid, inWindow) {
      const key = consoleKey(hostId, uuid)
      const next = { ...get().serialInWindow }
      if (inWindow) next[key] = true
      else delete next[key]
      set({ serialInWindow: next })
    },
    expectHandOver(hostId, uuid) {
      closedAt.set(consoleKey(hostId, uuid), Date.now())
    },
  }
})
