/**
 * The graphical console in the real UI against the test host's guests: the canvas shows what
 * libvirt's own screenshot shows, Ctrl+Alt+Del from the menu reboots the diskless VM's
 * SeaBIOS (libvirt reports the reboot), a restart reconnects by itself, a detached window and
 * the details view show two VMs at once, the screenshot button saves a PNG, and a SPICE-only
 * VM gets a clear message. Screenshots in English and Chinese.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../fixtures/app'
import { launchBrowser, openPage, screenshot } from '../fixtures/browser'
import { readTestHost, type TestHost } from '../fixtures/test-host'
import { virsh, quietly, isRunning, watchEvent } from '../fixtures/virsh'
import { waitUntil } from '../fixtures/wait'

const SPICE_VM = `vdk-e2e-spice-${process.pid}`
/**
 * SeaBIOS with a boot menu (ESC opens it, a digit picks), an empty CD-ROM to list, and a VNC
 * password.
 */
const KEYS_VM = `vdk-e2e-keys-${process.pid}`

let host: TestHost
let browser: Browser
let app: RunningApp
let page: Page
let closePage: () => Promise<void>
let problems: string[]
let tmp: string
const wasRunning: Record<string, boolean> = {}

const row = (name: string) => page.locator('.vm-body [role=row]', { hasText: name })
const console_ = (p: Page = page) => p.locator('.vnc-console')

/** Opens a VM’s details (from the list) on its Display tab. */
async function openDisplay(name: string): Promise<void> {
  const back = page.locator('.vm-details').getByRole('button', { name: /^← / })
  if (await back.isVisible()) await back.click()
  // Select the row first: its Open button shows on selection (and a click lands on it even
  // if the list moves meanwhile, which a double-click on the row may not).
  await row(name).click()
  await row(name)
    .getByRole('button', { name: `Open the details of ${name}` })
    .click()
  await page.getByRole('heading', { name, level: 1 }).waitFor()
  await page.getByRole('tab', { name: 'Display', exact: true }).click()
}

/** Waits until the console says it is connected and its canvas has the guest's screen size. */
async function connected(p: Page = page, timeout = 20_000): Promise<void> {
  await console_(p).and(p.locator('[data-status=connected]')).waitFor({ timeout })
  await p.waitForFunction(
    () => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=vnc-screen] canvas')
      return c !== null && c.width >= 640 && c.height >= 400
    },
    undefined,
    { timeout },
  )
}

/** What {@link compareWithLibvirt} measured. */
interface Comparison {
  width: number
  height: number
  /** Mean absolute difference per channel, 0..255. */
  meanDiff: number
  /** Share of pixels whose channels all differ by at most 24. */
  closeShare: number
  /** Share of non-dark pixels (text) in the canvas and in libvirt's image. */
  litCanvas: number
  litLibvirt: number
}

/**
 * Compares the console's canvas with libvirt's screenshot of the same moment (taken right
 * before reading the canvas; the screens here are static apart from a blinking cursor). The
 * libvirt image is drawn at the canvas size first, so a different size still compares.
 */
async function compareWithLibvirt(p: Page, vm: string): Promise<Comparison> {
  const file = join(tmp, `${vm}-${Date.now()}.png`)
  virsh('screenshot', vm, file)
  const png = readFileSync(file).toString('base64')
  return p.evaluate(async (b64: string) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=vnc-screen] canvas')!
    const { width, height } = canvas
    const ours = canvas.getContext('2d')!.getImageData(0, 0, width, height).data
    const img = new Image()
    img.src = `data:image/png;base64,${b64}`
    await img.decode()
    const scratch = document.createElement('canvas')
    scratch.width = width
    scratch.height = height
    const ctx = scratch.getContext('2d')!
    ctx.drawImage(img, 0, 0, width, height)
    const theirs = ctx.getImageData(0, 0, width, height).data
    let sum = 0
    let close = 0
    let litA = 0
    let litB = 0
    for (let i = 0; i < ours.length; i += 4) {
      let worst = 0
      for (let k = 0; k < 3; k++) {
        const d = Math.abs(ours[i + k]! - theirs[i + k]!)
        sum += d
        worst = Math.max(worst, d)
      }
      if (worst <= 24) close++
      if (ours[i]! + ours[i + 1]! + ours[i + 2]! > 150) litA++
      if (theirs[i]! + theirs[i + 1]! + theirs[i + 2]! > 150) litB++
    }
    const pixels = width * height
    return {
      width,
      height,
      meanDiff: sum / (pixels * 3),
      closeShare: close / pixels,
      litCanvas: litA / pixels,
      litLibvirt: litB / pixels,
    }
  }, png)
}

/**
 * The tolerance: mean absolute difference per channel below 2 (of 255) and 99 % of pixels
 * within 24 per channel. A blank or stale canvas fails it: the SeaBIOS text covers a few
 * percent of the screen, so leaving it out moves the mean by about 5.
 */
function expectSameScreen(c: Comparison): void {
  expect(c.litLibvirt).toBeGreaterThan(0.005) // there is text to compare
  expect(c.meanDiff).toBeLessThan(2)
  expect(c.closeShare).toBeGreaterThan(0.99)
  expect(Math.abs(c.litCanvas - c.litLibvirt)).toBeLessThan(0.002)
}

/**
 * The screen once it has stopped changing (two equal readings half a second apart), checked
 * against libvirt's screenshot at each reading.
 */
async function settledScreen(p: Page, vm: string): Promise<Comparison> {
  let last = await compareWithLibvirt(p, vm)
  for (let i = 0; i < 20; i++) {
    await p.waitForTimeout(500)
    const next = await compareWithLibvirt(p, vm)
    expectSameScreen(next)
    if (Math.abs(next.litLibvirt - last.litLibvirt) < 0.0005) return next
    last = next
  }
  throw new Error(`the screen of ${vm} kept changing`)
}

beforeAll(async () => {
  host = readTestHost()
  tmp = mkdtempSync(join(tmpdir(), 'vdk-e2e-vnc-'))
  for (const vm of [host.domains.vnc, host.domains.linux]) {
    wasRunning[vm] = isRunning(vm)
    if (!wasRunning[vm]) virsh('start', vm)
  }
  const xml = join(tmp, 'spice.xml')
  writeFileSync(
    xml,
    `<domain type='qemu'><name>${SPICE_VM}</name><memory unit='MiB'>64</memory>
      <os><type arch='x86_64'>hvm</type></os><devices>
      <graphics type='spice' autoport='yes' listen='127.0.0.1'/></devices></domain>`,
  )
  virsh('create', xml)
  browser = await launchBrowser()
  app = await startApp({ script: 'web', noBuild: true })
  ;({ page, problems, close: closePage } = await openPage(browser))
  await page.goto(app.url)
  await page.getByTestId('local-system').getByRole('button', { name: 'Add' }).click()
  await row(host.domains.vnc).waitFor()
})

afterAll(async () => {
  for (const vm of [host.domains.vnc, host.domains.linux]) {
    if (!wasRunning[vm]) quietly(() => virsh('destroy', vm))
  }
  quietly(() => virsh('destroy', SPICE_VM))
  quietly(() => virsh('destroy', KEYS_VM))
  await closePage?.()
  await app?.stop()
  await browser?.close()
  rmSync(tmp, { recursive: true, force: true })
})

describe('VNC console', () => {
  it('shows the diskless VM’s screen as libvirt sees it', async () => {
    await openDisplay(host.domains.vnc)
    await connected()
    // SeaBIOS has printed "No bootable device." by now (the VM started in beforeAll).
    await page.waitForTimeout(1500)
    const c = await compareWithLibvirt(page, host.domains.vnc)
    expect([c.width, c.height]).toEqual([720, 400])
    expectSameScreen(c)
    await expect(console_().locator('.vnc-status-line').textContent()).resolves.toMatch(
      /Connected \(127\.0\.0\.1:59\d\d\)/,
    )
    await screenshot(page, 'vnc-console-diskless')
  })

  it('captures the keyboard while the screen has focus', async () => {
    const grab = page.getByTestId('vnc-grab')
    await page.locator('[data-testid=vnc-screen] canvas').click()
    await expect(grab.getAttribute('data-grabbed')).resolves.toBe('true')
    await page.locator('.vm-details h1').click()
    await expect(grab.getAttribute('data-grabbed')).resolves.toBe('false')
  })

  it('shows the screen scaled to fit, 1:1, and full screen', async () => {
    const canvas = page.locator('[data-testid=vnc-screen] canvas')
    const shown = () =>
      canvas.evaluate((c: HTMLCanvasElement) => ({ css: c.clientWidth, pixels: c.width }))
    const fit = await shown()
    expect(fit.css).toBeGreaterThan(fit.pixels) // 720 px stretched to the wider area
    await console_().getByRole('button', { name: '1:1', exact: true }).click()
    await page.waitForFunction(() => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid=vnc-screen] canvas')!
      return c.clientWidth === c.width
    })
    await console_().getByRole('button', { name: 'Scale to fit' }).click()
    await console_().getByRole('button', { name: 'Full screen' }).click()
    await console_().getByRole('button', { name: 'Leave full screen' }).waitFor()
    expect(await page.evaluate(() => document.fullscreenElement?.className)).toMatch(/vnc-console/)
    await console_().getByRole('button', { name: 'Leave full screen' }).click()
    await console_().getByRole('button', { name: 'Full screen' }).waitFor()
  })

  it('sends Ctrl+Alt+Del from the menu, and SeaBIOS reboots the VM', async () => {
    const reboot = watchEvent(host.domains.vnc, 'reboot', 30)
    await page.waitForTimeout(1000) // let virsh register for the event
    await page.getByRole('button', { name: 'Send keys' }).click()
    const menu = page.getByRole('menu', { name: 'Key combinations to send to the VM' })
    await menu.waitFor()
    await screenshot(page, 'vnc-send-keys-menu')
    await menu.getByRole('menuitem', { name: 'Ctrl+Alt+Del' }).click()
    await waitUntil(() => reboot.count() > 0, 'the reboot event', 20_000).finally(reboot.stop)
    // Same QEMU, so the console stays connected and shows the BIOS again.
    await connected()
    await page.waitForTimeout(3000)
    expectSameScreen(await compareWithLibvirt(page, host.domains.vnc))
  })

  it('saves a PNG screenshot through libvirt', async () => {
    const download = page.waitForEvent('download')
    await console_().getByRole('button', { name: 'Screenshot' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^virtdeck-vnc-\d{8}-\d{6}\.png$/)
    const path = join(tmp, 'download.png')
    await file.saveAs(path)
    const png = readFileSync(path)
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([720, 400])
    await console_()
      .getByText(/Screenshot saved as virtdeck-vnc-/)
      .waitFor()
  })

  it('reconnects by itself when the VM is stopped and started again', async () => {
    const before = Number(await console_().getAttribute('data-connections'))
    virsh('destroy', host.domains.vnc)
    await console_().and(page.locator('[data-status=vm-off]')).waitFor({ timeout: 10_000 })
    await console_().getByText('The VM is not running.', { exact: false }).waitFor()
    await screenshot(page, 'vnc-console-vm-off')
    virsh('start', host.domains.vnc)
    await connected()
    expect(Number(await console_().getAttribute('data-connections'))).toBe(before + 1)
    await page.waitForTimeout(2500)
    expectSameScreen(await compareWithLibvirt(page, host.domains.vnc))
  })

  it('opens in a window of its own while the details show another VM’s display', async () => {
    const popup = page.context().waitForEvent('page')
    await console_()
      .getByRole('button', { name: /Open in new window/ })
      .click()
    const detached = await popup
    detached.on('pageerror', (e) => problems.push(`detached pageerror: ${e.message}`))
    await detached.waitForLoadState()
    expect(new URL(detached.url()).hash).toMatch(/token=.*&console=vnc&host=.*&vm=/)
    await connected(detached)
    expect(await detached.locator('.shell').count()).toBe(0) // only the console
    await expect(detached.title()).resolves.toBe(`${host.domains.vnc}: display`)

    // Meanwhile the main window shows the tiny Linux guest's display (other specs may have
    // stopped the shared guest since beforeAll).
    if (!isRunning(host.domains.linux)) virsh('start', host.domains.linux)
    await openDisplay(host.domains.linux)
    await connected()
    await page.waitForTimeout(1000)
    const linux = await compareWithLibvirt(page, host.domains.linux)
    expectSameScreen(linux)
    const diskless = await compareWithLibvirt(detached, host.domains.vnc)
    expectSameScreen(diskless)
    await screenshot(page, 'vnc-console-linux')
    await screenshot(detached, 'vnc-console-detached')
    await detached.close()
  })

  it('types into a VM with a VNC password: a key pressed on the screen, text as keystrokes', async () => {
    const xml = join(tmp, 'keys.xml')
    writeFileSync(
      xml,
      `<domain type='qemu'><name>${KEYS_VM}</name><memory unit='MiB'>64</memory>
        <os><type arch='x86_64'>hvm</type><bootmenu enable='yes' timeout='60000'/></os>
        <devices><disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>
        <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' passwd='k3ys-pw'/>
        </devices></domain>`,
    )
    virsh('create', xml)
    await openDisplay(KEYS_VM)
    // Its VNC server wants a password: the one in the XML is used without asking.
    await connected()
    expect(await console_().locator('input[type=password]').count()).toBe(0)
    // SeaBIOS says "Press ESC for boot menu." and waits.
    const prompt = await settledScreen(page, KEYS_VM)
    await page.locator('[data-testid=vnc-screen] canvas').click()
    await page.keyboard.press('Escape')
    // The menu: "Select boot device:" and its entries, four more lines of text.
    const menu = await settledScreen(page, KEYS_VM)
    expect(menu.litLibvirt).toBeGreaterThan(prompt.litLibvirt * 1.5)
    await screenshot(page, 'vnc-keys-boot-menu')

    await console_().getByRole('button', { name: 'Clipboard' }).click()
    await console_().getByLabel('Text for the VM').fill('1')
    await console_().getByRole('button', { name: 'Type as keystrokes' }).click()
    await console_().getByText('Typed 1 characters.').waitFor()
    // "1" picks the first entry: SeaBIOS boots on and prints its attempts below the menu.
    const booted = await settledScreen(page, KEYS_VM)
    expect(booted.litLibvirt).toBeGreaterThan(menu.litLibvirt * 1.5)
    await screenshot(page, 'vnc-keys-typed')
    virsh('destroy', KEYS_VM)
  })

  it('says plainly that a SPICE-only VM has no VNC display', async () => {
    await openDisplay(SPICE_VM)
    const message = page.getByTestId('vnc-problem')
    await message.waitFor()
    expect(await message.getAttribute('data-problem')).toBe('spice-only')
    expect(await message.textContent()).toMatch(/SPICE display only.*serial console/)
    expect(await message.textContent()).toMatch(/SPICE display listens on 127\.0\.0\.1:59\d\d/)
    await screenshot(page, 'vnc-spice-only')
    // It offers the serial console instead, one click away.
    await message.getByRole('button', { name: 'Open the serial console' }).click()
    const serialTab = page.getByRole('tab', { name: 'Serial console', exact: true })
    await expect(serialTab.getAttribute('aria-selected')).resolves.toBe('true')
    await page.getByRole('tab', { name: 'Display', exact: true }).click()
  })

  it('reads in Chinese', async () => {
    await page.getByTestId('language').selectOption('zh-CN')
    await page
      .getByTestId('vnc-problem')
      .getByText(/只有 SPICE 显示/)
      .waitFor()
    await screenshot(page, 'vnc-spice-only-zh')
    await page.locator('.vm-details').getByRole('button', { name: /^← / }).click()
    await row(host.domains.vnc).click()
    await row(host.domains.vnc)
      .getByRole('button', { name: `打开 ${host.domains.vnc} 的详情` })
      .click()
    await page.getByRole('tab', { name: '显示', exact: true }).click()
    await connected()
    await page.getByRole('button', { name: '发送按键' }).click()
    await page.getByRole('menu').waitFor()
    await screenshot(page, 'vnc-send-keys-menu-zh')
    await page.keyboard.press('Escape')
    await screenshot(page, 'vnc-console-diskless-zh')
    await page.getByTestId('language').selectOption('en')
    expect(problems).toEqual([])
  })
})
