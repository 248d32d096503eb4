import {
  ConnectGetAllDomainStatsFlags,
  DomainStatsTypes,
  getDomainStats,
  type Connection,
} from '@native'
import type { VmStatsTick } from '@common/contract/vms'
import { DisposableStore, Emitter, type Disposable } from '@common/lifecycle'
import type { ConnectionManager } from '../hosts/connection-manager'
import { countersOf, ratesOf, type Counters } from './stats-rates'

/** Default tick: once a second (virt-manager polls every 3 s with stats off by default). */
export const DEFAULT_TICK_MS = 1000

const GROUPS =
  DomainStatsTypes.CPU_TOTAL |
  DomainStatsTypes.BALLOON |
  DomainStatsTypes.VCPU |
  DomainStatsTypes.INTERFACE |
  DomainStatsTypes.BLOCK

interface Polled extends Disposable {
  previous: Map<string, Counters>
  /** Restarts the timer with the poller's current tick. */
  retime(): void
}

/**
 * One bulk stats call per connected host per tick, for its running VMs, turned into rates.
 * A tick that is still waiting for the daemon makes the next one skip, so a slow host never
 * piles up calls. No per-VM calls.
 */
export class StatsPoller implements Disposable {
  private readonly hosts = new Map<string, Polled>()
  private readonly ticks = new Emitter<VmStatsTick>()
  private readonly store = new DisposableStore()

  /** Fires with every host's tick. */
  readonly onTick = this.ticks.event

  constructor(
    private readonly connections: ConnectionManager,
    private tickMs = DEFAULT_TICK_MS,
  ) {
    this.store.add(
      connections.onChanged((state) => {
        const conn = state.status === 'connected' ? connections.connection(state.id) : undefined
        if (conn && !this.hosts.has(state.id)) this.poll(state.id, conn)
        if (!conn) this.stop(state.id)
      }),
    )
  }

  /** Changes the tick (a setting); hosts being polled switch to it at once. */
  setTickMs(ms: number): void {
    if (ms === this.tickMs) return
    this.tickMs = ms
    for (const polled of this.hosts.values()) polled.retime()
  }

  private poll(hostId: string, conn: Connection): void {
    let busy = false
    const previous = new Map<string, Counters>()
    const tick = async () => {
      if (busy) return
      busy = true
      try {
        const stats = await getDomainStats(conn, {
          groups: GROUPS,
          flags: ConnectGetAllDomainStatsFlags.ACTIVE,
        })
        const at = Date.now()
        const seen = new Set<string>()
        const vms = stats.map((s) => {
          const now = countersOf(s, at)
          const rates = ratesOf(s, now, previous.get(s.uuid))
          previous.set(s.uuid, now)
          seen.add(s.uuid)
          return rates
        })
        for (const uuid of previous.keys()) if (!seen.has(uuid)) previous.delete(uuid)
        if (this.hosts.get(hostId)?.previous === previous) this.ticks.fire({ hostId, at, vms })
      } catch {
        // A lost connection is reported by the connection manager; the next tick retries.
      } finally {
        busy = false
      }
    }
    let timer = setInterval(() => void tick(), this.tickMs)
    const retime = () => {
      clearInterval(timer)
      timer = setInterval(() => void tick(), this.tickMs)
    }
    this.hosts.set(hostId, { previous, retime, dispose: () => clearInterval(timer) })
    void tick()
  }

  private stop(hostId: string): void {
    this.hosts.get(hostId)?.dispose()
    this.hosts.delete(hostId)
  }

  dispose(): void {
    for (const id of [...this.hosts.keys()]) this.stop(id)
    this.store.dispose()
    this.ticks.dispose()
  }
}
