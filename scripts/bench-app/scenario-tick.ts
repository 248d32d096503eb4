/**
 * Scenario 2: one stats tick for the test driver's VMs, in main and in the renderer, with
 * the page open on the host (its rows and their stats cells on screen).
 *   main: CPU time of the web-mode node process (all threads, /proc schedstat) over windows
 *         of TICKS_PER_WINDOW ticks, minus the same windows with the host disconnected (no
 *         ticks: the poller stops), divided by the ticks. Medians over the windows.
 *   renderer: a Chromium trace over the same windows, scripting per tick window (see
 *         renderer-trace.ts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { median } from '../../native/bench/measure'
import { openHostPage } from './page'
import { cpuNs, statCpuMs } from './proc'
import { costPerTick, startTrace, type TickCost } from './renderer-trace'
import { ROOT, startWebApp, type BenchHost } from './web-app'

/** Ticks per CPU window. */
export const TICKS_PER_WINDOW = 4
/** The app's stats tick (electron/main/services/vms/stats-poller.ts DEFAULT_TICK_MS). */
export const TICK_MS = 1000

/** What scenario 2 measured. */
export interface TickResult {
  /** Main CPU ms per window with ticks, and without (host disconnected). */
  active: number[]
  idle: number[]
  /** Median main CPU ms per tick, idle subtracted. */
  mainPerTick: number
  /** /proc/PID/stat cross-check over the whole active and idle phases, ms per tick. */
  statPerTick: number
  renderer: TickCost[]
  problems: string[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The UI's label of the host panel's disconnect button (English). */
function disconnectLabel(): string {
  const en = JSON.parse(readFileSync(join(ROOT, 'renderer/src/i18n/en.json'), 'utf8')) as {
    host: { disconnect: string }
  }
  return en.host.disconnect
}

/** Runs scenario 2 over `windows` windows per phase. */
export async function tickScenario(
  browser: Browser,
  host: BenchHost,
  expected: number,
  windows: number,
): Promise<TickResult> {
  const app = await startWebApp({ hosts: [host] })
  try {
    const hp = await openHostPage(browser, app.url, host.name, expected)
    try {
      await sleep(3 * TICK_MS) // the first ticks (rates start at the second one)
      const cdp = await hp.context.newCDPSession(hp.page)
      const trace = await startTrace(cdp)
      const active: number[] = []
      const stat0 = statCpuMs(app.pid)
      for (let w = 0; w < windows; w++) {
        const c0 = cpuNs(app.pid)
        await sleep(TICKS_PER_WINDOW * TICK_MS)
        active.push((cpuNs(app.pid) - c0) / 1e6)
      }
      const statActive = statCpuMs(app.pid) - stat0
      const renderer = costPerTick(await trace.stop()).slice(1)
      await cdp.detach()

      await hp.page.getByRole('button', { name: disconnectLabel(), exact: true }).click()
      await sleep(3 * TICK_MS)
      const idle: number[] = []
      const stat1 = statCpuMs(app.pid)
      for (let w = 0; w < windows; w++) {
        const c0 = cpuNs(app.pid)
        await sleep(TICKS_PER_WINDOW * TICK_MS)
        idle.push((cpuNs(app.pid) - c0) / 1e6)
      }
      const statIdle = statCpuMs(app.pid) - stat1
      const ticks = windows * TICKS_PER_WINDOW
      return {
        active,
        idle,
        mainPerTick: (median(active) - median(idle)) / TICKS_PER_WINDOW,
        statPerTick: (statActive - statIdle) / ticks,
        renderer,
        problems: hp.problems,
      }
    } finally {
      await hp.close()
    }
  } finally {
    await app.stop()
  }
}
