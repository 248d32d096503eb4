/** Opening the app's page in Chromium with scenario 1's probe, and reading what it saw. */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { paintProbe, PAINTED_MESSAGE, READ_TIMES, type PaintTimes } from './paint-probe'

/** The window size of every page (the e2e fixtures' size). */
export const VIEWPORT = { width: 1280, height: 800 }

/** A page showing a host's VM list. */
export interface HostPage {
  context: BrowserContext
  page: Page
  times: PaintTimes
  /** Page errors and console errors seen so far. */
  problems: string[]
  close(): Promise<void>
}

/**
 * Opens `url` in a fresh context (empty cache, like a first start), lets the probe select
 * `hostName`, and waits for its message that `expected` VMs are painted (paint-probe.ts).
 * `beforeLoad` runs after the page exists and before navigation (to start a profiler).
 */
export async function openHostPage(
  browser: Browser,
  url: string,
  hostName: string,
  expected: number,
  beforeLoad?: (page: Page, context: BrowserContext) => Promise<void>,
  timeoutMs = 60_000,
): Promise<HostPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' })
  try {
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    await page.addInitScript(paintProbe(hostName, expected))
    await beforeLoad?.(page, context)
    const painted = page.waitForEvent('console', {
      predicate: (m) => m.text() === PAINTED_MESSAGE,
      timeout: timeoutMs,
    })
    painted.catch(() => undefined) // awaited below; a failed goto must not leave it unhandled
    await page.goto(url)
    try {
      await painted
    } catch {
      const seen = (await page.evaluate(READ_TIMES)) as PaintTimes | undefined
      throw new Error(
        `the VM list was not painted within ${timeoutMs / 1000} s (probe: ${JSON.stringify(seen)}` +
          `${problems.length ? `; ${problems.join('; ')}` : ''})`,
      )
    }
    const times = (await page.evaluate(READ_TIMES)) as PaintTimes
    return { context, page, times, problems, close: () => context.close() }
  } catch (err) {
    await context.close()
    throw err
  }
}
