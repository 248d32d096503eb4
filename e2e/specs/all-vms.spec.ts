/**
 * The list across all hosts: the system and session daemons of the test host, both added,
 * show their VMs in one list with each row naming its host; opening a row shows that host's
 * VM. Nothing here changes a VM's state.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../fixtures/app'
import { launchBrowser, openPage, screenshot } from '../fixtures/browser'
import { readTestHost, type TestHost } from '../fixtures/test-host'

let host: TestHost
let browser: Browser
let app: RunningApp
let page: Page
let closePage: () => Promise<void>

const rows = (name: string) => page.locator('.vm-body [role=row]', { hasText: name })

beforeAll(async () => {
  host = readTestHost()
  browser = await launchBrowser()
  app = await startApp({
    script: 'web',
    noBuild: true,
    env: { XDG_RUNTIME_DIR: host.session.xdgRuntimeDir },
  })
  ;({ page, close: closePage } = await openPage(browser))
  await page.goto(app.url)
  // Each Add opens the new host; the welcome screen offers the other one again.
  for (const scope of ['system', 'session']) {
    await page.getByRole('button', { name: 'Welcome' }).click()
    await page.getByTestId(`local-${scope}`).getByRole('button', { name: 'Add' }).click()
    await page
      .getByRole('heading', { name: new RegExp(`This computer \\(${scope}\\)`, 'i') })
      .waitFor()
  }
})

afterAll(async () => {
  await closePage?.()
  await app?.stop()
  await browser?.close()
})

describe('VMs across all hosts', () => {
  it('lists both hosts’ VMs, each row naming its host, and opens one on its host', async () => {
    await page.getByRole('button', { name: 'All VMs' }).click()
    await page.getByRole('heading', { name: 'All virtual machines' }).waitFor()
    await page.getByText('VMs of 2 connected hosts (of 2)').waitFor({ timeout: 20_000 })
    // The same domain is defined on both daemons: two rows, two different hosts.
    await expect.poll(() => rows(host.domains.vnc).count(), { timeout: 20_000 }).toBe(2)
    const hostsOfVnc = await rows(host.domains.vnc).getByTestId('vm-host').allTextContents()
    expect(new Set(hostsOfVnc).size).toBe(2)
    await screenshot(page, 'vm-list-all-hosts')

    await page.getByPlaceholder('Filter by name').fill(host.domains.linux)
    await expect.poll(() => rows(host.domains.linux).count()).toBe(2)
    expect(await rows(host.domains.vnc).count()).toBe(0)

    const first = rows(host.domains.linux).first()
    const hostName = (await first.getByTestId('vm-host').textContent())!
    await first.click() // selected rows show their Open button
    await first.getByRole('button', { name: `Open the details of ${host.domains.linux}` }).click()
    await page.getByRole('heading', { name: host.domains.linux }).waitFor()
    await page.getByRole('button', { name: `Back to ${hostName}` }).click()
    await page.getByRole('heading', { name: hostName }).waitFor()
  })
})
