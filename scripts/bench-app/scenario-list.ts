/**
 * Scenario 1: from page load to 1,000 rows painted, against `virsh list --all` on the same
 * test-driver file (through the daemon: test+unix://). Runs alternate ours / virsh so both
 * see the same load. Two variants of ours:
 *   warm: web mode already running and connected; a fresh browser context loads the page.
 *   cold: node web.mjs spawned for each run (so it also opens the libvirt connection, as
 *         virsh must); from spawn to painted on the wall clock.
 */
import type { Browser } from 'playwright-core'
import { median } from '../../native/bench/measure'
import { virshMs } from './anchors'
import { openHostPage } from './page'
import type { PaintTimes } from './paint-probe'
import { startWebApp, type BenchHost } from './web-app'

/** The figures of scenario 1 (ms, medians and the runs behind them). */
export interface ListResult {
  warm: number[]
  cold: number[]
  virsh: number[]
  /** Medians of the probe's times in the warm runs. */
  warmDetail: { clickedAt: number; conditionAt: number; frameAt: number; afterFrameAt: number }
  rows: number
  problems: string[]
}

/** Runs scenario 1 with `runs` measured runs per side after `warmups` untimed ones. */
export async function listScenario(
  browser: Browser,
  host: BenchHost,
  expected: number,
  runs: number,
  warmups: number,
): Promise<ListResult> {
  const out: ListResult = {
    warm: [],
    cold: [],
    virsh: [],
    warmDetail: { clickedAt: NaN, conditionAt: NaN, frameAt: NaN, afterFrameAt: NaN },
    rows: 0,
    problems: [],
  }
  const details: PaintTimes[] = []
  const app = await startWebApp({ hosts: [host] })
  try {
    for (let i = 0; i < warmups + runs; i++) {
      const page = await openHostPage(browser, app.url, host.name, expected)
      await page.close()
      const virsh = await virshMs(host.uri, 'list', '--all')
      out.problems.push(...page.problems)
      if (i < warmups) continue
      out.warm.push(page.times.frameAt!)
      out.virsh.push(virsh)
      details.push(page.times)
      out.rows = page.times.rows ?? 0
    }
  } finally {
    await app.stop()
  }
  const pick = (k: keyof PaintTimes) => median(details.map((d) => d[k] ?? NaN))
  out.warmDetail = {
    clickedAt: pick('clickedAt'),
    conditionAt: pick('conditionAt'),
    frameAt: pick('frameAt'),
    afterFrameAt: pick('afterFrameAt'),
  }
  for (let i = 0; i < warmups + runs; i++) {
    const cold = await coldRun(browser, host, expected)
    const virsh = await virshMs(host.uri, 'list', '--all')
    if (i < warmups) continue
    out.cold.push(cold)
    out.virsh.push(virsh)
  }
  return out
}

/** One cold run: spawn web.mjs, open the page at once, ms from spawn to painted. */
async function coldRun(browser: Browser, host: BenchHost, expected: number): Promise<number> {
  const app = await startWebApp({ hosts: [host] })
  try {
    const page = await openHostPage(browser, app.url, host.name, expected)
    await page.close()
    return page.times.timeOrigin! + page.times.frameAt! - app.spawnedAt
  } finally {
    await app.stop()
  }
}
