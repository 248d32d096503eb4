/**
 * Scenario 4: main and renderer memory over MINUTES of ticks with the page open on the
 * host. Samples after forced garbage collections (main through Node's inspector, the page
 * through CDP's HeapProfiler.collectGarbage): main RSS (/proc) and V8 heap, the page's JS
 * heap (Performance.getMetrics JSHeapUsedSize), and, since typed arrays keep their bytes
 * outside that heap, the page's ArrayBuffer backing stores (Runtime.getHeapUsage) and the
 * renderer processes' RSS (their ids from SystemInfo.getProcessInfo, RSS from /proc). Growth
 * is the last sample against the one at the end of the first minute (or at half time for
 * runs of a minute or less).
 */
import type { Browser, CDPSession } from 'playwright-core'
import { heapAfterGc, inspectorUrl, offHeap, openInspector, type Inspector } from './node-inspector'
import { openHostPage } from './page'
import { rssBytes } from './proc'
import { startWebApp, type BenchHost } from './web-app'

/** One memory sample (bytes) at `atMs` from the page being painted. */
export interface MemorySample {
  atMs: number
  mainRss: number
  mainHeap: number
  /** Main's ArrayBuffers (Buffers from sockets and WebSocket frames), outside its V8 heap. */
  mainBuffers: number
  /** All of main's memory V8 counts outside its heap, the ArrayBuffers included. */
  mainExternal: number
  pageHeap: number
  /** ArrayBuffer backing stores of the page (typed arrays), outside its JS heap. */
  pageBuffers: number
  /** RSS of every renderer process of the browser (one page open: its renderer). */
  rendererRss: number
}

/** What scenario 4 measured. */
export interface MemoryResult {
  minutes: number
  samples: MemorySample[]
  baseline: MemorySample
  last: MemorySample
  problems: string[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function pageAfterGc(cdp: CDPSession): Promise<{ heap: number; buffers: number }> {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')
  if (!used) throw new Error('no JSHeapUsedSize in Performance.getMetrics')
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { backingStorageSize?: number }
  return { heap: used.value, buffers: usage.backingStorageSize ?? NaN }
}

async function rendererRss(browser: Browser): Promise<number> {
  const session = await browser.newBrowserCDPSession()
  try {
    const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[]
    }
    const renderers = processInfo.filter((p) => p.type === 'renderer')
    return renderers.reduce((n, p) => n + rssBytes(p.id), 0)
  } finally {
    await session.detach()
  }
}

async function sample(
  browser: Browser,
  pid: number,
  inspector: Inspector,
  cdp: CDPSession,
  atMs: number,
): Promise<MemorySample> {
  const mainHeap = await heapAfterGc(inspector)
  const main = await offHeap(inspector)
  const page = await pageAfterGc(cdp)
  return {
    atMs,
    mainRss: rssBytes(pid),
    mainHeap,
    mainBuffers: main.buffers,
    mainExternal: main.external,
    pageHeap: page.heap,
    pageBuffers: page.buffers,
    rendererRss: await rendererRss(browser),
  }
}

/** Runs scenario 4 for `minutes`, sampling every `everyMs` (and at the baseline). */
export async function memoryScenario(
  browser: Browser,
  host: BenchHost,
  expected: number,
  minutes: number,
  everyMs = 60_000,
  onSample?: (s: MemorySample) => void,
): Promise<MemoryResult> {
  const app = await startWebApp({ hosts: [host], nodeFlags: ['--inspect=127.0.0.1:0'] })
  try {
    const url = inspectorUrl(app.output())
    if (!url) throw new Error(`no inspector address in: ${app.output()}`)
    const inspector = await openInspector(url)
    const hp = await openHostPage(browser, app.url, host.name, expected)
    try {
      const cdp = await hp.context.newCDPSession(hp.page)
      await cdp.send('Performance.enable')
      await cdp.send('HeapProfiler.enable')
      const start = performance.now()
      const totalMs = minutes * 60_000
      const baselineMs = Math.min(60_000, totalMs / 2)
      const marks = [baselineMs]
      for (let t = everyMs; t < totalMs; t += everyMs) if (t > baselineMs) marks.push(t)
      marks.push(totalMs)
      const samples: MemorySample[] = []
      for (const mark of marks) {
        await sleep(Math.max(0, mark - (performance.now() - start)))
        const s = await sample(browser, app.pid, inspector, cdp, performance.now() - start)
        samples.push(s)
        onSample?.(s)
      }
      await cdp.detach()
      return {
        minutes,
        samples,
        baseline: samples[0]!,
        last: samples[samples.length - 1]!,
        problems: hp.problems,
      }
    } finally {
      inspector.close()
      await hp.close()
    }
  } finally {
    await app.stop()
  }
}
