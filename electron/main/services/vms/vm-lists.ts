import type { Connection } from '@native'
import type { VmList, VmSummary } from '@common/contract/vms'
import { DisposableStore, Emitter, type Disposable } from '@common/lifecycle'
import type { ConnectionManager } from '../hosts/connection-manager'
import { listVmSummaries } from './vm-summaries'

/** How long to gather events before one re-list (a start fires 2-3 events). */
const REFRESH_DELAY_MS = 25

/**
 * The list's order: names in natural order (vm2 before vm10), as the UI sorts them by
 * default. Sorting here, once per change, spares every page that opens the list most of
 * its first sort (an already sorted list sorts in one pass): 1,000 names cost a page
 * about 10 ms on its way to the first screen.
 */
const byName = new Intl.Collator(undefined, { numeric: true })

/**
 * Domain events after which the list's columns may differ: lifecycle (define, undefine,
 * start, stop ...) and device hot(un)plug (memory modules change the maximum memory).
 */
const REFRESH_ON = ['domainLifecycle', 'domainDeviceAdded', 'domainDeviceRemoved'] as const

interface Watched extends Disposable {
  list: VmSummary[]
  /** Re-lists now; resolves once a list read after this call was published. */
  refresh(): Promise<void>
}

/**
 * Keeps each connected host's VM list current, sorted by name. The list is read once on
 * connect (see listVmSummaries: two round trips), then again only when libvirt reports an
 * event that may change it, or when a change without an event (autostart) was made through
 * us: no polling.
 */
export class VmLists implements Disposable {
  private readonly hosts = new Map<string, Watched>()
  private readonly changed = new Emitter<VmList>()
  private readonly store = new DisposableStore()

  /** Fires with a host's whole list after every change. */
  readonly onChanged = this.changed.event

  constructor(private readonly connections: ConnectionManager) {
    this.store.add(
      connections.onChanged((state) => {
        const conn = state.status === 'connected' ? connections.connection(state.id) : undefined
        if (conn && !this.hosts.has(state.id)) this.watch(state.id, conn)
        if (!conn && this.hosts.has(state.id)) this.unwatch(state.id)
      }),
    )
  }

  /** Every watched host's list. */
  lists(): VmList[] {
    return [...this.hosts].map(([hostId, w]) => ({ hostId, vms: w.list }))
  }

  /**
   * Re-reads a host's list now, for changes libvirt sends no event about (autostart);
   * resolves once the new list was published. Nothing happens for an unknown host.
   */
  async refresh(hostId: string): Promise<void> {
    await this.hosts.get(hostId)?.refresh()
  }

  private watch(hostId: string, conn: Connection): void {
    const subs = new DisposableStore()
    let timer: ReturnType<typeof setTimeout> | undefined
    let running: Promise<void> | undefined
    let queued: Promise<void> | undefined
    const readOnce = () =>
      listVmSummaries(conn, hostId)
        .then((list) => {
          if (this.hosts.get(hostId) !== watched) return
          list.sort((a, b) => byName.compare(a.name, b.name))
          watched.list = list
          this.changed.fire({ hostId, vms: list })
        })
        .catch(() => {
          // A lost connection is reported by the connection manager; nothing to add here.
        })
    /** One read at a time; a request during a read gets one more read after it. */
    const refresh = (): Promise<void> => {
      if (!running) {
        running = readOnce().finally(() => (running = undefined))
        return running
      }
      queued ??= running.then(() => {
        queued = undefined
        return refresh()
      })
      return queued
    }
    const watched: Watched = {
      list: [],
      refresh,
      dispose: () => {
        if (timer) clearTimeout(timer)
        subs.dispose()
      },
    }
    const soon = () => {
      if (timer) return
      timer = setTimeout(() => {
        timer = undefined
        void refresh()
      }, REFRESH_DELAY_MS)
    }
    for (const kind of REFRESH_ON) subs.add(conn.events.on(kind, soon))
    this.hosts.set(hostId, watched)
    void refresh()
  }

  private unwatch(hostId: string): void {
    this.hosts.get(hostId)?.dispose()
    this.hosts.delete(hostId)
    this.changed.fire({ hostId, vms: [] })
  }

  dispose(): void {
    for (const w of this.hosts.values()) w.dispose()
    this.hosts.clear()
    this.store.dispose()
    this.changed.dispose()
  }
}
