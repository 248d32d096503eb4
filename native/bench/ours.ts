/**
 * Our side of each bench scenario (the same work as py_bench.py does with python3-libvirt).
 * A scenario opens what it needs untimed; each `run()` is one timed run.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { connect, getDomainStats, listDomainsWithState, type Connection } from '../src/index'

/** Where and what to open. */
export interface Target {
  socketPath: string
  /** CONNECT_OPEN name as the daemon sees it, e.g. qemu:///system. */
  name: string
}

/** One scenario, set up. */
export interface Scenario {
  /** One timed run; the value in the scenario's unit. */
  run(): Promise<number>
  /** Releases what the scenario opened. */
  close(): Promise<void>
  /** Domains seen by the last run, where that applies. */
  domains?: number
}

const OPEN_CLOSE_BATCH = 10
const CALLS = 1000

function open(t: Target): Promise<Connection> {
  return connect({ socketPath: t.socketPath, name: t.name })
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

/** ms per connect (transport + auth + open) and close, mean of a batch of 10. */
export function openClose(t: Target): Promise<Scenario> {
  return Promise.resolve({
    run: async () =>
      (await timed(async () => {
        for (let i = 0; i < OPEN_CLOSE_BATCH; i++) await (await open(t)).close()
      })) / OPEN_CLOSE_BATCH,
    close: () => Promise.resolve(),
  })
}

/** us per call over 1,000 sequential calls. */
export async function sequential(t: Target, call: 'libversion' | 'hostname'): Promise<Scenario> {
  const conn = await open(t)
  const one =
    call === 'libversion'
      ? () => conn.remote.connectGetLibVersion()
      : () => conn.remote.connectGetHostname()
  return {
    run: async () =>
      ((await timed(async () => {
        for (let i = 0; i < CALLS; i++) await one()
      })) *
        1000) /
      CALLS,
    close: () => conn.close(),
  }
}

/** ms for 1,000 connectGetLibVersion issued at once on one connection. */
export async function pipelined(t: Target): Promise<Scenario> {
  const conn = await open(t)
  return {
    run: () =>
      timed(() =>
        Promise.all(Array.from({ length: CALLS }, () => conn.remote.connectGetLibVersion())),
      ),
    close: () => conn.close(),
  }
}

/** ms for the list of every domain with its state (list plus one bulk state call). */
export async function listStates(t: Target): Promise<Scenario> {
  const conn = await open(t)
  const s: Scenario = {
    run: () =>
      timed(async () => {
        s.domains = (await listDomainsWithState(conn)).length
      }),
    close: () => conn.close(),
  }
  return s
}

/** ms for bulk stats of every domain (all groups): the call, decoding, and a walk. */
export async function bulkStats(t: Target): Promise<Scenario> {
  const conn = await open(t)
  const s: Scenario = {
    run: () =>
      timed(async () => {
        const stats = await getDomainStats(conn)
        let total = 0
        for (const d of stats) total += (d.state?.state ?? 0) + (d.cpu?.time ?? 0)
        s.domains = total >= 0 ? stats.length : 0
      }),
    close: () => conn.close(),
  }
  return s
}

/** Two forced full garbage collections (--expose-gc switched on at run time), settled. */
async function settle(): Promise<void> {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  await new Promise((r) => setTimeout(r, 100))
  gc()
}

/**
 * RSS and heap growth in MiB over `calls` calls issued 100 at a time, measured after a
 * warm-up of 10,000 calls and settled garbage collections on both sides.
 */
export async function rssGrowth(
  t: Target,
  calls: number,
): Promise<{ rssMiB: number; heapMiB: number; ms: number }> {
  const conn = await open(t)
  const wave = (): Promise<unknown> =>
    Promise.all(Array.from({ length: 100 }, () => conn.remote.connectGetLibVersion()))
  try {
    for (let i = 0; i < 100; i++) await wave()
    await settle()
    const before = process.memoryUsage()
    const start = performance.now()
    for (let i = 0; i < calls / 100; i++) await wave()
    const ms = performance.now() - start
    await settle()
    const after = process.memoryUsage()
    return {
      rssMiB: (after.rss - before.rss) / 2 ** 20,
      heapMiB: (after.heapUsed - before.heapUsed) / 2 ** 20,
      ms,
    }
  } finally {
    await conn.close()
  }
}

/** The process's active resources (handles, timers, requests) by kind. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1)
  return counts
}

/** What `after` has more of than `before`, as text ('' when nothing). */
export function resourceDiff(before: Map<string, number>, after: Map<string, number>): string {
  const extra: string[] = []
  for (const [k, n] of after) {
    const d = n - (before.get(k) ?? 0)
    if (d > 0) extra.push(`${k} x${d}`)
  }
  return extra.join(', ')
}

/** Process-wide listeners a client might leave behind. */
function processListeners(): number {
  return (['exit', 'beforeExit', 'uncaughtException', 'SIGINT', 'SIGTERM'] as const).reduce(
    (n, e) => n + process.listenerCount(e),
    0,
  )
}

/**
 * Opens a connection, makes calls (with deadlines, so timers exist), closes it, and reports
 * the resources and process listeners left behind compared with before ('' when none).
 */
export async function leftoversAfterClose(t: Target): Promise<string> {
  await new Promise((r) => setImmediate(r))
  const before = activeResources()
  const listeners = processListeners()
  const conn = await open(t)
  await Promise.all(
    Array.from({ length: 50 }, () => conn.remote.connectGetLibVersion({ timeoutMs: 10_000 })),
  )
  await conn.close()
  await new Promise((r) => setTimeout(r, 50))
  const diff = resourceDiff(before, activeResources())
  const extra = processListeners() - listeners
  return [diff, extra > 0 ? `process listeners +${extra}` : ''].filter(Boolean).join(', ')
}
