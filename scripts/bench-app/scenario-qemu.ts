/**
 * Scenario 3: a stats tick over the test host's QEMU guests (virtdeck-vnc, virtdeck-linux)
 * with every stats group, per VM, against python3-libvirt. Both ask for the same named
 * domains, so guests of tests running at the same time do not change the count: ours is the
 * tick of electron/main/services/vms/stats-poller.ts run here in-process (one bulk call by
 * native, with every group instead of the poller's five, plus countersOf/ratesOf from
 * stats-rates.ts); python's is domainListGetStats(domains, 0 = all groups) plus the same
 * walk. Runs alternate ours / python; each run is BATCH ticks. A run that fails because a
 * guest went away under it (shared guests) is run again, up to MAX_RETRIES times in all.
 */
import { connect, getDomainStats, lookupDomain, type Connection } from '../../native/src/index'
import type { NonnullDomain } from '../../native/src/index'
import { countersOf, ratesOf, type Counters } from '../../electron/main/services/vms/stats-rates'
import { median } from '../../native/bench/measure'
import { pythonStats } from './anchors'

/** Ticks per timed run. */
const BATCH = 10
/** Runs that may be repeated because a guest vanished, over the whole scenario. */
const MAX_RETRIES = 5

/** What scenario 3 measured, per VM and tick (ms). */
export interface QemuResult {
  vms: number
  pyVms: number
  oursWall: number[]
  oursCpu: number[]
  pyWall: number[]
  pyCpu: number[]
  /** Runs repeated after a failure, with the reason. */
  retried: string[]
}

/** One tick as the poller does it, with every group, over `domains`. */
async function tick(
  conn: Connection,
  domains: NonnullDomain[],
  previous: Map<string, Counters>,
): Promise<number> {
  const stats = await getDomainStats(conn, { domains })
  const at = Date.now()
  let sum = 0
  for (const s of stats) {
    const now = countersOf(s, at)
    sum += ratesOf(s, now, previous.get(s.uuid)).cpuPercent
    previous.set(s.uuid, now)
  }
  return sum >= 0 ? stats.length : 0
}

/** Runs scenario 3 on the system daemon at `socketPath` over the running guests `names`. */
export async function qemuScenario(
  socketPath: string,
  uri: string,
  names: readonly string[],
  runs: number,
  warmups: number,
): Promise<QemuResult> {
  const conn = await connect({ socketPath, name: uri })
  const out: QemuResult = {
    vms: 0,
    pyVms: 0,
    oursWall: [],
    oursCpu: [],
    pyWall: [],
    pyCpu: [],
    retried: [],
  }
  const again = async <T>(what: string, run: () => T | Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await run()
      } catch (err) {
        if (out.retried.length >= MAX_RETRIES) throw err
        out.retried.push(`${what}: ${(err as Error).message.split('\n').pop() ?? ''}`)
      }
    }
  }
  try {
    const domains = await Promise.all(names.map(async (n) => (await lookupDomain(conn, n)).handle))
    const previous = new Map<string, Counters>()
    for (let i = 0; i < warmups; i++)
      out.vms = await again('ours', () => tick(conn, domains, previous))
    for (let i = 0; i < runs; i++) {
      await again('ours', async () => {
        const cpu0 = process.cpuUsage()
        const t0 = performance.now()
        for (let b = 0; b < BATCH; b++) out.vms = await tick(conn, domains, previous)
        const wall = performance.now() - t0
        const cpu = process.cpuUsage(cpu0)
        out.oursWall.push(wall / BATCH / out.vms)
        out.oursCpu.push((cpu.user + cpu.system) / 1000 / BATCH / out.vms)
      })
      await again('python', () => {
        const py = pythonStats(uri, 0, 0, 1, BATCH, warmups, names)
        out.pyVms = py.domains
        out.pyWall.push(py.wall[0]! / py.domains)
        out.pyCpu.push(py.cpu[0]! / py.domains)
      })
    }
  } finally {
    await conn.close()
  }
  return out
}

/** Medians of a result. */
export function qemuMedians(r: QemuResult) {
  return {
    oursWall: median(r.oursWall),
    oursCpu: median(r.oursCpu),
    pyWall: median(r.pyWall),
    pyCpu: median(r.pyCpu),
  }
}
