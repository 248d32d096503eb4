/**
 * Explains a missed target: CPU profiles of main (Node's inspector) and of the page
 * (Chromium's Profiler domain), on a server started for this with --inspect and the
 * unminified renderer, summed per function and mapped to source files.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, CDPSession } from 'playwright-core'
import { inspectorUrl, openInspector } from './node-inspector'
import { openHostPage } from './page'
import { costsByFunction, formatCosts, mapsBeside, type CpuProfile } from './profile'
import { TICK_MS } from './scenario-tick'
import { buildProfilingRenderer, SNAPSHOT, startWebApp, type BenchHost } from './web-app'

/** Sampling interval of both profilers, µs. */
const SAMPLING_US = 200

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let rendererBuilt: Promise<string> | undefined

/** Maps page script URLs (http://127.0.0.1:PORT/assets/x.js) to the profiling build. */
function pageMaps(dir: string) {
  return mapsBeside((url) => {
    const path = /^https?:\/\/[^/]+\/(.*)$/.exec(url)?.[1]
    return path ? join(dir, path) : undefined
  })
}

/** Maps main's script URLs (file:///.../web.mjs) to the files beside their maps. */
const mainMaps = mapsBeside((url) => (url.startsWith('file:') ? fileURLToPath(url) : undefined))

async function startProfiler(cdp: { send: CDPSession['send'] }): Promise<void> {
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US })
  await cdp.send('Profiler.start')
}

/** Main's and the page's top costs per tick over `ticks` ticks, as report lines. */
export async function profileTicks(
  browser: Browser,
  host: BenchHost,
  expected: number,
  ticks: number,
): Promise<{ main: string[]; renderer: string[] }> {
  const dir = await (rendererBuilt ??= buildProfilingRenderer())
  const app = await startWebApp({
    hosts: [host],
    nodeFlags: ['--inspect=127.0.0.1:0'],
    profiling: true,
  })
  try {
    const url = inspectorUrl(app.output())
    if (!url) throw new Error(`no inspector address in: ${app.output()}`)
    const inspector = await openInspector(url)
    const hp = await openHostPage(browser, app.url, host.name, expected)
    try {
      await sleep(3 * TICK_MS)
      const cdp = await hp.context.newCDPSession(hp.page)
      await startProfiler(cdp)
      await startProfiler(inspector)
      await sleep(ticks * TICK_MS)
      const { profile: mainProfile } = await inspector.send<{ profile: CpuProfile }>(
        'Profiler.stop',
      )
      const { profile: pageProfile } = (await cdp.send('Profiler.stop')) as {
        profile: CpuProfile
      }
      await cdp.detach()
      return {
        main: formatCosts(costsByFunction(mainProfile, mainMaps), ticks),
        renderer: formatCosts(costsByFunction(pageProfile, pageMaps(dir)), ticks),
      }
    } finally {
      inspector.close()
      await hp.close()
    }
  } finally {
    await app.stop()
  }
}

/** The page's top costs from navigation to painted rows (one load), as report lines. */
export async function profilePageLoad(
  browser: Browser,
  host: BenchHost,
  expected: number,
): Promise<string[]> {
  const dir = await (rendererBuilt ??= buildProfilingRenderer())
  const app = await startWebApp({ hosts: [host], profiling: true })
  try {
    let cdp: CDPSession | undefined
    const hp = await openHostPage(browser, app.url, host.name, expected, async (page, ctx) => {
      // A page of the same origin first, so the load below stays in this renderer process.
      await page.goto(new URL('/bench-blank', app.url).href)
      cdp = await ctx.newCDPSession(page)
      await startProfiler(cdp)
    })
    try {
      const { profile } = (await cdp!.send('Profiler.stop')) as { profile: CpuProfile }
      return formatCosts(costsByFunction(profile, pageMaps(dir)), 1, 15)
    } finally {
      await hp.close()
    }
  } finally {
    await app.stop()
  }
}

/** The profiling build's folder inside the snapshot (for the notes). */
export const PROFILING_DIR = join(SNAPSHOT, 'renderer-profiling')
