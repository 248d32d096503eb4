import { listDomainsWithState, type Connection, type DomainListing } from '@native'
import { VmState, type VmList, type VmSummary } from '@common/contract/vms'
import { DisposableStore, Emitter, type Disposable } from '@common/lifecycle'
import type { ConnectionManager } from '../hosts/connection-manager'

/** How long to gather lifecycle events before one re-list (a start fires 2-3 events). */
const REFRESH_DELAY_MS = 25

const STATES = new Set<string>(VmState.options)

/** A native domain listing as the UI's summary. */
export function toVmSummary(hostId: string, d: DomainListing): VmSummary {
  const name = d.state.stateName.toLowerCase()
  const state = (STATES.has(name) ? name : 'nostate') as VmState
  return { hostId, uuid: d.uuid, name: d.name, state, id: d.id }
}

interface Watched extends Disposable {
  list: VmSummary[]
}

/**
 * Keeps each connected host's VM list current. The list is read once on connect (one list
 * call plus one bulk state call), then again only when libvirt reports a lifecycle event:
 * no polling.
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

  private watch(hostId: string, conn: Connection): void {
    const subs = new DisposableStore()
    let timer: ReturnType<typeof setTimeout> | undefined
    let running: Promise<void> | undefined
    let again = false
    const watched: Watched = {
      list: [],
      dispose: () => {
        if (timer) clearTimeout(timer)
        subs.dispose()
      },
    }
    const refresh = async (): Promise<void> => {
      if (running) {
        again = true
        return
      }
      running = listDomainsWithState(conn)
        .then((listing) => {
          if (this.hosts.get(hostId) !== watched) return
          watched.list = listing.map((d) => toVmSummary(hostId, d))
          this.changed.fire({ hostId, vms: watched.list })
        })
        .catch(() => {
          // A lost connection is reported by the connection manager; nothing to add here.
        })
        .finally(() => {
          running = undefined
          if (again) {
            again = false
            void refresh()
          }
        })
    }
    subs.add(
      conn.events.on('domainLifecycle', () => {
        if (timer) return
        timer = setTimeout(() => {
          timer = undefined
          void refresh()
        }, REFRESH_DELAY_MS)
      }),
    )
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
