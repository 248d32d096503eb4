import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../fixtures/app'
import { launchBrowser, openPage, screenshot } from '../fixtures/browser'
import { readTestHost, type TestHost } from '../fixtures/test-host'
import { virsh, quietly } from '../fixtures/virsh'

/** A defined-only VM of this spec: UEFI (files need not exist), disks and NICs to list. */
const SCRATCH = `vdk-e2e-details-${process.pid}`
/** The domain's devices as virsh sees them: lines of domblklist / domiflist. */
const rowsOf = (cmd: 'domblklist' | 'domiflist', name: string) =>
  virsh(cmd, name)
    .split('\n')
    .filter((l) => l.trim() !== '')

let host: TestHost
let browser: Browser
let app: RunningApp
let page: Page
let closePage: () => Promise<void>
let problems: string[]
let linuxWasRunning: boolean

const row = (name: string) => page.locator('.vm-body [role=row]', { hasText: name })
const details = () => page.locator('.vm-details')
const card = (testId: string) => page.getByTestId(testId)
const tab = (name: string) => page.getByRole('tab', { name, exact: true })
/**
 * Filters the list down to one VM: other tests create and remove VMs on the same daemon all
 * the time, and a row that moves between the two clicks of a double-click opens another VM.
 */
const showOnly = async (name: string) => {
  await page.getByRole('searchbox', { name: 'Filter by name' }).fill(name)
  await page
    .getByTestId('vm-count')
    .getByText(/^1 of /)
    .waitFor()
}
const backToList = async () => {
  await details()
    .getByRole('button', { name: /^← Back to/ })
    .click()
  await row(host.domains.linux).waitFor()
}

/**
 * How many pixels of a canvas have about the given #rrggbb colour (the canvas is transparent
 * where nothing is drawn; the faint area fill under a line has alpha 0x22).
 */
function pixelsOf(canvas: Locator, colorVar: string): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement, name: string) => {
    const hex = getComputedStyle(document.documentElement).getPropertyValue(name).trim()
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 0; i < data.length; i += 4) {
      const close = want.every((v, k) => Math.abs(data[i + k]! - v) < 40)
      // Half covered is enough: a 1.5 px line may straddle two pixel rows (alpha 0.75 each).
      if (close && data[i + 3]! > 100) n++
    }
    return n
  }, colorVar)
}

beforeAll(async () => {
  host = readTestHost()
  linuxWasRunning = virsh('domstate', host.domains.linux).trim() === 'running'
  const xml = `<domain type='qemu'><name>${SCRATCH}</name>
    <description>e2e scratch VM for the details view</description>
    <memory unit='MiB'>128</memory><vcpu current='1'>2</vcpu>
    <os><type arch='x86_64' machine='q35'>hvm</type>
      <loader readonly='yes' secure='no' type='pflash'>/var/tmp/${SCRATCH}/OVMF_CODE.fd</loader>
      <nvram>/var/tmp/${SCRATCH}/VARS.fd</nvram></os>
    <features><acpi/></features>
    <devices>
      <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
        <source file='/var/tmp/${SCRATCH}/disk.qcow2'/><target dev='vda' bus='virtio'/>
        <boot order='2'/></disk>
      <disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/>
        <boot order='1'/></disk>
      <interface type='network'><mac address='52:54:00:e2:e0:01'/>
        <source network='virtdeck-isolated'/><model type='virtio'/></interface>
      <interface type='bridge'><mac address='52:54:00:e2:e0:02'/>
        <source bridge='virbr-vdk'/><model type='e1000e'/><link state='down'/></interface>
    </devices></domain>`
  const file = join(tmpdir(), `${SCRATCH}.xml`)
  writeFileSync(file, xml)
  virsh('define', file)
  rmSync(file)
  browser = await launchBrowser()
  app = await startApp({ script: 'web', noBuild: true })
  ;({ page, problems, close: closePage } = await openPage(browser))
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(app.url).origin,
  })
  await page.goto(app.url)
  await page.getByTestId('local-system').getByRole('button', { name: 'Add' }).click()
  await row(host.domains.linux).waitFor()
})

afterAll(async () => {
  // Leave the shared guest as it was found.
  if (!linuxWasRunning) quietly(() => virsh('destroy', host.domains.linux))
  quietly(() => virsh('undefine', '--nvram', SCRATCH))
  await closePage?.()
  await app?.stop()
  await browser?.close()
})

describe('VM details', () => {
  it('opens virtdeck-linux with a double-click and shows its facts as libvirt has them', async () => {
    await showOnly(host.domains.linux)
    // Selecting first: a selection grows the actions toolbar and moves the rows down, which
    // could put the second click of a double-click on something else.
    await row(host.domains.linux).click()
    await page.getByText('1 selected').waitFor()
    await row(host.domains.linux).dblclick()
    await details().getByRole('heading', { name: host.domains.linux, level: 1 }).waitFor()
    const system = card('details-system')
    await system.waitFor()
    const dumped = virsh('dumpxml', '--inactive', host.domains.linux)
    const machine = /machine='([^']+)'/.exec(dumped)![1]!
    expect(await system.textContent()).toContain('x86_64')
    expect(await system.textContent()).toContain(machine)
    expect(await system.textContent()).toContain('BIOS')
    expect(await system.textContent()).toContain('vmlinuz')
    expect(await card('details-general').textContent()).toContain(
      virsh('domuuid', host.domains.linux).trim(),
    )
    // Disks and NICs: one row each for what virsh lists, or the empty line.
    const disks = rowsOf('domblklist', host.domains.linux)
    const nics = rowsOf('domiflist', host.domains.linux)
    if (disks.length === 0) await card('details-disks').getByText('No disks.').waitFor()
    else expect(await card('details-disks').locator('tbody tr').count()).toBe(disks.length)
    if (nics.length === 0) {
      await card('details-nics').getByText('No network interfaces.').waitFor()
    } else {
      expect(await card('details-nics').locator('tbody tr').count()).toBe(nics.length)
    }
    expect(await card('details-displays').textContent()).toMatch(/VNC\s*127\.0\.0\.1/)
    expect(await card('details-displays').textContent()).toContain('Serial port 0')
    await screenshot(page, 'vm-details-overview')
    await backToList()
  })

  it('opens a VM with Enter and lists its disks, NICs, UEFI firmware and boot order', async () => {
    await showOnly(SCRATCH)
    await row(SCRATCH).focus()
    await page.keyboard.press('Enter')
    await card('details-disks').waitFor()
    const disks = card('details-disks').locator('tbody tr')
    expect(await disks.count()).toBe(rowsOf('domblklist', SCRATCH).length)
    expect(await disks.nth(0).textContent()).toContain(`/var/tmp/${SCRATCH}/disk.qcow2`)
    expect(await disks.nth(1).textContent()).toMatch(/CD-ROM.*sda.*No medium.*Read-only/)
    const nics = card('details-nics').locator('tbody tr')
    expect(await nics.count()).toBe(rowsOf('domiflist', SCRATCH).length)
    expect(await nics.nth(0).textContent()).toMatch(/52:54:00:e2:e0:01.*virtdeck-isolated/)
    expect(await nics.nth(1).textContent()).toMatch(/52:54:00:e2:e0:02.*virbr-vdk.*Down/)
    const system = await card('details-system').textContent()
    expect(system).toContain('UEFI · Secure Boot off')
    expect(system).toContain(`/var/tmp/${SCRATCH}/VARS.fd`)
    expect(await card('details-resources').textContent()).toContain('1 (up to 2)')
    expect(await page.locator('.boot-order li').allTextContents()).toEqual(['CD-ROMsda', 'Diskvda'])
    await screenshot(page, 'vm-details-devices')
    await card('details-displays').scrollIntoViewIfNeeded()
    await screenshot(page, 'vm-details-devices-tables')
    await backToList()
  })

  it('draws live graphs once virtdeck-linux runs', async () => {
    await showOnly(host.domains.linux)
    await row(host.domains.linux).hover()
    await row(host.domains.linux)
      .getByRole('button', { name: /^Open the details of/ })
      .click()
    await tab('Performance').click()
    // Other specs share this guest: go by its state now, not by the one found at the start.
    if (virsh('domstate', host.domains.linux).trim() !== 'running') {
      await page.getByText('The graphs fill in while the virtual machine runs.').waitFor()
      await details()
        .getByRole('toolbar')
        .getByRole('button', { name: 'Start', exact: true })
        .click()
    }
    await details().locator('.vm-heading').getByText('Running').waitFor({ timeout: 20_000 })
    // uPlot records how many samples its last draw had: every chart has drawn a few ticks.
    for (const chart of ['chart-cpu', 'chart-memory', 'chart-disk', 'chart-net']) {
      await page.waitForFunction(
        (id) => {
          const plot = document.querySelector<HTMLElement>(`[data-testid=${id}] .chart-plot`)
          return Number(plot?.dataset.samples ?? 0) >= 3
        },
        chart,
        { timeout: 15_000 },
      )
    }
    // Ten seconds of line (about 30 px of 300 s across the plot), drawn inside the plot as
    // the RSS stays below the guest's size: real pixels of the line's colour.
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector<HTMLElement>('[data-testid=chart-memory] .chart-plot')?.dataset
            .samples ?? 0,
        ) >= 10,
      undefined,
      { timeout: 20_000 },
    )
    const memoryCanvas = card('chart-memory').locator('canvas')
    expect(await pixelsOf(memoryCanvas, '--chart-1')).toBeGreaterThan(20)
    expect(await card('chart-memory').textContent()).toMatch(/\d+(\.\d)? \/ 256 MiB/)
    expect(await card('chart-cpu').textContent()).toMatch(/CPU.*Used\s*\d+(\.\d)? %/)
    await screenshot(page, 'vm-details-performance')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(1500)
    expect(await pixelsOf(memoryCanvas, '--chart-1')).toBeGreaterThan(20)
    await screenshot(page, 'vm-details-performance-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    // The app's theme setting (data-theme on <html>) wins over the OS: charts follow it too.
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'))
    await page.waitForTimeout(1500)
    expect(await pixelsOf(memoryCanvas, '--chart-1')).toBeGreaterThan(20)
    await page.evaluate(() => delete document.documentElement.dataset.theme)
  })

  it('shows the domain XML read-only and copies it', async () => {
    await tab('XML').click()
    const xml = page.getByTestId('vm-xml')
    await xml.getByText(`<name>${host.domains.linux}</name>`).waitFor()
    // A running guest's live XML has its domain id; the persistent definition has none.
    if (virsh('domstate', host.domains.linux).trim() === 'running') {
      await page.waitForFunction(() =>
        /<domain type='\w+' id='\d+'>/.test(
          document.querySelector('[data-testid=vm-xml]')?.textContent ?? '',
        ),
      )
    }
    await page.getByRole('button', { name: 'Persistent definition' }).click()
    await page.waitForFunction(() =>
      /<domain type='\w+'>/.test(document.querySelector('[data-testid=vm-xml]')?.textContent ?? ''),
    )
    expect(await xml.textContent()).toContain(`<name>${host.domains.linux}</name>`)
    await page.getByRole('button', { name: 'Copy', exact: true }).click()
    await page.getByRole('button', { name: 'Copied', exact: true }).waitFor()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toBe(await xml.textContent())
    await screenshot(page, 'vm-details-xml')
    await backToList()
    // The list's sparklines read the same rings as the graphs.
    if (virsh('domstate', host.domains.linux).trim() === 'running') {
      await showOnly(host.domains.linux)
      await row(host.domains.linux).getByTestId('vm-cpu').locator('polyline').waitFor()
    }
    expect(problems).toEqual([])
  })

  it('speaks Chinese', async () => {
    const zh = await openPage(browser, 'zh-CN')
    try {
      await zh.page.goto(app.url)
      await zh.page.getByRole('navigation').getByText('qemu:///system').click()
      await zh.page.getByRole('searchbox').fill(host.domains.linux)
      await zh.page.getByTestId('vm-count').getByText(/^1 /).waitFor()
      const zhRow = zh.page.locator('.vm-body [role=row]', { hasText: host.domains.linux })
      await zhRow.click()
      await zh.page.getByText('已选择 1 个').waitFor()
      await zhRow.dblclick()
      await zh.page.getByRole('tab', { name: '概览' }).waitFor()
      await zh.page.getByTestId('details-system').getByText('架构').waitFor()
      expect(await zh.page.getByTestId('details-system').textContent()).toContain('x86_64')
      await screenshot(zh.page, 'vm-details-overview-zh')
      expect(zh.problems).toEqual([])
    } finally {
      await zh.close()
    }
  })
})
