/**
 * The serial console and the QEMU monitor in the real UI against the test host: the tiny
 * Linux guest (virtdeck-linux, started and waited for if it is off, left as found) answers
 * `echo hello-<random>` and `ls /` typed into xterm.js; copy and paste go through the
 * clipboard; search finds text and the terminal follows the panel's size; a console held by
 * `virsh console` is offered for take-over with a warning; the monitor answers `info status`.
 * A scratch copy of the guest shows the console reopening by itself when its VM stops and
 * starts again; then both guests' consoles move to tabs of their own and answer there while
 * the details go on. Screenshots in English and Chinese.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../fixtures/app'
import { launchBrowser, openPage, screenshot } from '../fixtures/browser'
import { readTestHost, type TestHost } from '../fixtures/test-host'
import { virsh, quietly, isRunning } from '../fixtures/virsh'
import { waitUntil } from '../fixtures/wait'

const SCRATCH = `vdk-e2e-serial-${process.pid}`

/** host.json's guest facts (the ready line, the serial log virtlogd writes). */
const guest = readTestHost().guest

let host: TestHost
let browser: Browser
let app: RunningApp
let page: Page
let closePage: () => Promise<void>
let problems: string[]
let tmp: string
let linuxWasRunning = false
const holders: ChildProcess[] = []

const row = (name: string) => page.locator('.vm-body [role=row]', { hasText: name })
const status = (on = page) => on.getByTestId('serial-status')
const terminal = (on = page) => on.getByTestId('serial-terminal')

/** The lines on the terminal's screen (of the main page, or of a console's own tab). */
const screenLines = async (on = page): Promise<string[]> =>
  (await terminal(on).locator('.xterm-rows').innerText()).split('\n').map((l) => l.trimEnd())

/** Waits until a screen line passes `test`. */
async function waitForLine(
  test: (line: string) => boolean,
  timeout = 20_000,
  on = page,
): Promise<void> {
  const end = Date.now() + timeout
  for (;;) {
    const lines = await screenLines(on)
    if (lines.some(test)) return
    if (Date.now() > end) throw new Error(`no such line on the terminal:\n${lines.join('\n')}`)
    await on.waitForTimeout(100)
  }
}

/** Types into the terminal as a user does (the keyboard goes to xterm's textarea). */
async function typeInTerminal(text: string, on = page): Promise<void> {
  await terminal(on).locator('.xterm-helper-textarea').focus()
  await on.keyboard.type(text)
}

/** Leaves a VM's details for the host's VM list. */
async function backToList(): Promise<void> {
  const back = page.locator('.vm-details').getByRole('button', { name: /^← / })
  if (await back.isVisible()) await back.click()
}

/** Opens a VM's details on the given tab. */
async function openTab(name: string, tab: string): Promise<void> {
  await backToList()
  await row(name).click()
  await row(name)
    .getByRole('button', { name: `Open the details of ${name}` })
    .click()
  await page.getByRole('tab', { name: tab, exact: true }).click()
}

const connected = (timeout = 30_000, on = page) =>
  status(on).and(on.locator('[data-state=connected]')).waitFor({ timeout })

/** Waits for the guest's prompt: Enter makes the shell print a fresh one. */
async function prompt(on = page): Promise<void> {
  await typeInTerminal('\n', on)
  await waitForLine((l) => l.startsWith(guest.prompt.trim()), 20_000, on)
}

/** Types `echo <marker>` in a console and waits for the guest's answer. */
async function echoes(on: Page, prefix: string): Promise<void> {
  await prompt(on)
  const marker = `${prefix}-${randomBytes(3).toString('hex')}`
  await typeInTerminal(`echo ${marker}\n`, on)
  await waitForLine((l) => l === marker, 20_000, on)
}

/** Moves the details' serial console to a tab of its own and returns that tab, connected. */
async function detachSerial(name: string): Promise<Page> {
  const opened = page.context().waitForEvent('page')
  await page
    .locator('.serial-toolbar')
    .getByRole('button', { name: /Open in new window/ })
    .click()
  const tab = await opened
  tab.on('pageerror', (e) => problems.push(`${name} tab pageerror: ${e.message}`))
  tab.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${name} tab console: ${m.text()}`)
  })
  await tab.waitForLoadState()
  expect(new URL(tab.url()).hash).toMatch(/token=.*&console=serial&host=.*&vm=/)
  await connected(30_000, tab)
  return tab
}

/** Starts `virsh console --force` on a pty, as a user in a terminal would; it holds the console. */
function holdWithVirsh(name: string): ChildProcess {
  const child = spawn(
    'script',
    ['-q', '-e', '-c', `virsh -c qemu:///system console ${name} --force`, '/dev/null'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  )
  child.stdout!.resume()
  child.stderr!.resume()
  holders.push(child)
  return child
}

beforeAll(async () => {
  host = readTestHost()
  tmp = mkdtempSync(join(tmpdir(), 'vdk-e2e-serial-'))
  linuxWasRunning = isRunning(host.domains.linux)
  if (!linuxWasRunning) {
    virsh('start', host.domains.linux)
    // virtlogd rewrites the serial log at every start (append='off').
    await waitUntil(
      () =>
        existsSync(guest.serialLogPath) &&
        readFileSync(guest.serialLogPath, 'latin1').includes(guest.readyLine),
      `${guest.readyLine} from ${host.domains.linux}`,
    )
  }
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
  for (const child of holders) if (child.exitCode === null) child.kill()
  await closePage?.()
  await app?.stop()
  await browser?.close()
  quietly(() => virsh('destroy', SCRATCH))
  quietly(() => virsh('undefine', SCRATCH))
  if (!linuxWasRunning) quietly(() => virsh('destroy', host.domains.linux))
  rmSync(tmp, { recursive: true, force: true })
})

describe('serial console', () => {
  it('echoes what is typed and lists / in the tiny guest', async () => {
    await openTab(host.domains.linux, 'Serial console')
    await connected()
    await prompt()
    const marker = `hello-${randomBytes(4).toString('hex')}`
    await typeInTerminal(`echo ${marker}\n`)
    await waitForLine((l) => l === marker)
    await typeInTerminal('ls /\n')
    await waitForLine((l) => /\bbin\b/.test(l) && /\bproc\b/.test(l) && /\bsys\b/.test(l))
    await typeInTerminal('echo 中文-"ok"\n')
    await waitForLine((l) => l === '中文-ok')
    await screenshot(page, 'serial-console-en')
  })

  it('copies the selection and pastes the clipboard into the guest', async () => {
    // Select the screen's upper half with the mouse: it holds the commands typed above.
    const box = (await terminal().locator('.xterm-screen').boundingBox())!
    await page.mouse.move(box.x + 2, box.y + 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2, { steps: 5 })
    await page.mouse.up()
    await page.getByRole('button', { name: 'Copy', exact: true }).click()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toMatch(/echo hello-[0-9a-f]{8}/)
    const marker = `pasted-${randomBytes(3).toString('hex')}`
    await page.evaluate((text) => navigator.clipboard.writeText(text), `echo ${marker}\n`)
    await page.getByRole('button', { name: 'Paste', exact: true }).click()
    await waitForLine((l) => l === marker)
  })

  it('searches the output and follows the panel’s size', async () => {
    const search = page.getByRole('searchbox', { name: 'Search the output' })
    await search.fill('pasted-')
    await search.press('Enter')
    expect(await page.getByText('No match').count()).toBe(0)
    await search.fill('no-such-text-here')
    await search.press('Enter')
    await page.getByText('No match').waitFor()
    await search.press('Escape')

    const width = async () => (await terminal().locator('.xterm-screen').boundingBox())!.width
    const before = await width()
    await page.setViewportSize({ width: 1000, height: 800 })
    await waitUntil(async () => (await width()) < before - 200, 'the terminal to shrink')
    await page.setViewportSize({ width: 1280, height: 800 })
    await waitUntil(async () => Math.abs((await width()) - before) < 20, 'the old width')
  })

  it('offers to take a console over from another client, with a warning', async () => {
    const virshConsole = holdWithVirsh(host.domains.linux)
    // virsh took it over: our stream fails and the page says so.
    await status().and(page.locator('[data-state=failed]')).waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Reconnect' }).click()
    const busy = status().and(page.locator('[data-state=busy]'))
    await busy.waitFor({ timeout: 20_000 })
    expect(await busy.textContent()).toMatch(/Another client is using this console/)
    expect(await busy.textContent()).toMatch(/disconnects the other client/)
    await screenshot(page, 'serial-takeover-en')
    await busy.getByRole('button', { name: 'Take over' }).click()
    await connected()
    await waitUntil(
      () => virshConsole.exitCode !== null,
      'virsh console to lose the console',
      10_000,
    )
    await prompt()
    const marker = `back-${randomBytes(3).toString('hex')}`
    await typeInTerminal(`echo ${marker}\n`)
    await waitForLine((l) => l === marker)
  })

  it('reopens by itself when the VM stops and starts again', async () => {
    // A persistent copy of the guest of our own: stopping virtdeck-linux would disturb others.
    const xml = virsh('dumpxml', '--inactive', host.domains.linux)
      .replace(/<name>[^<]*<\/name>/, `<name>${SCRATCH}</name>`)
      .replace(/<uuid>[^<]*<\/uuid>\s*/, '')
      .replace(/<memoryBacking>[\s\S]*?<\/memoryBacking>\s*/, '')
      .replace(/<filesystem[\s\S]*?<\/filesystem>\s*/g, '')
      .replace(/<log [^>]*\/>\s*/g, '')
    const file = join(tmp, 'scratch.xml')
    writeFileSync(file, xml)
    virsh('define', file)
    await backToList()
    await row(SCRATCH).waitFor()
    await openTab(SCRATCH, 'Serial console')
    await status().and(page.locator('[data-state=vm-off]')).waitFor()
    virsh('start', SCRATCH)
    await connected()
    await waitForLine((l) => l.includes(guest.readyLine), 60_000)
    virsh('destroy', SCRATCH)
    await status().and(page.locator('[data-state=closed]')).waitFor({ timeout: 20_000 })
    expect(await status().textContent()).toMatch(/the VM stopped or closed its console/)
    // The screen keeps the first boot: wait for a second ready line before typing.
    const readyLines = async () =>
      (await screenLines()).filter((l) => l.includes(guest.readyLine)).length
    const booted = await readyLines()
    virsh('start', SCRATCH)
    await connected()
    await waitUntil(async () => (await readyLines()) > booted, 'the second boot', 60_000)
    await prompt()
    const marker = `again-${randomBytes(3).toString('hex')}`
    await typeInTerminal(`echo ${marker}\n`)
    await waitForLine((l) => l === marker)
    // The scratch guest keeps running for the next test (afterAll destroys it).
  })

  it('moves to a tab of its own, next to another VM’s console, while the details go on', async () => {
    // The details show the scratch guest's console, connected (the test before).
    const scratchTab = await detachSerial(SCRATCH)
    await expect(scratchTab.title()).resolves.toBe(`${SCRATCH}: serial console`)
    expect(await scratchTab.locator('.shell').count()).toBe(0) // only the console
    // The details let go of the console (libvirt gives it to one client) and say where it is.
    const away = status().and(page.locator('[data-state=in-window]'))
    await away.waitFor()
    expect(await away.textContent()).toMatch(/open in a window of its own/)
    await echoes(scratchTab, 'tab')

    // The tiny guest's console goes to a tab of its own too: two VMs, two tabs, both answer.
    await openTab(host.domains.linux, 'Serial console')
    await connected()
    const linuxTab = await detachSerial(host.domains.linux)
    await echoes(linuxTab, 'linux-tab')
    await echoes(scratchTab, 'scratch-again')
    await echoes(linuxTab, 'linux-again')

    // Meanwhile the details work: the tiny guest's monitor answers, and its overview shows.
    await page.getByRole('tab', { name: 'Monitor', exact: true }).click()
    const input = page.locator('.monitor-panel').getByLabel('HMP command')
    await input.fill('info name')
    await input.press('Enter')
    await page.getByTestId('monitor-output').getByText(host.domains.linux).waitFor()
    await page.getByRole('tab', { name: 'Serial console', exact: true }).click()
    await away.waitFor()
    await screenshot(linuxTab, 'serial-console-detached')
    await screenshot(page, 'serial-console-in-window')

    // Closed tab: the details take the console back when asked.
    await linuxTab.close()
    await page.getByRole('button', { name: 'Show it here' }).click()
    await connected()
    await echoes(page, 'back-here')
    await echoes(scratchTab, 'scratch-still')
    await scratchTab.close()
    expect(problems).toEqual([])
    virsh('destroy', SCRATCH)
  })
})

describe('QEMU monitor', () => {
  it('runs info status behind a warning, with history', async () => {
    await openTab(host.domains.linux, 'Monitor')
    const panel = page.locator('.monitor-panel')
    expect(await panel.getByRole('note').textContent()).toMatch(/bypasses libvirt/)
    const input = panel.getByLabel('HMP command')
    await input.fill('info status')
    await input.press('Enter')
    await panel.getByTestId('monitor-output').getByText('VM status: running').waitFor()
    await input.press('ArrowUp')
    expect(await input.inputValue()).toBe('info status')
    await input.fill('info version')
    await input.press('Enter')
    await panel
      .getByTestId('monitor-output')
      .getByText(/^\d+\.\d+\.\d+/)
      .waitFor()
    await screenshot(page, 'serial-monitor-en')
    expect(problems).toEqual([])
  })

  it('opens in a tab of its own, with a log of its own', async () => {
    const opened = page.context().waitForEvent('page')
    await page
      .locator('.monitor-panel')
      .getByRole('button', { name: /Open in new window/ })
      .click()
    const tab = await opened
    tab.on('pageerror', (e) => problems.push(`monitor tab pageerror: ${e.message}`))
    await tab.waitForLoadState()
    expect(new URL(tab.url()).hash).toMatch(/token=.*&console=monitor&host=.*&vm=/)
    await tab.waitForFunction((t) => document.title === t, `${host.domains.linux}: QEMU monitor`)
    const input = tab.getByLabel('HMP command')
    await input.fill('info status')
    await input.press('Enter')
    await tab.getByTestId('monitor-output').getByText('VM status: running').waitFor()
    expect(await tab.getByText('info version').count()).toBe(0) // the details' log stays there
    await screenshot(tab, 'serial-monitor-detached')
    await tab.close()
    expect(problems).toEqual([])
  })
})

describe('in Chinese', () => {
  it('shows the console, the take-over warning and the monitor in Chinese', async () => {
    await page.getByTestId('language').selectOption('zh-CN')
    await page.getByRole('tab', { name: '串口控制台', exact: true }).click()
    await status().and(page.locator('[data-state=connected]')).waitFor({ timeout: 30_000 })
    await prompt()
    await typeInTerminal('echo 你好，串口-"ok"\n')
    await waitForLine((l) => l === '你好，串口-ok')
    expect(await status().textContent()).toMatch(/已连接到 serial0/)
    await screenshot(page, 'serial-console-zh')

    const virshConsole = holdWithVirsh(host.domains.linux)
    await status().and(page.locator('[data-state=failed]')).waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: '重新连接' }).click()
    const busy = status().and(page.locator('[data-state=busy]'))
    await busy.waitFor({ timeout: 20_000 })
    expect(await busy.textContent()).toMatch(/另一个客户端正在使用此控制台/)
    await screenshot(page, 'serial-takeover-zh')
    await busy.getByRole('button', { name: '接管' }).click()
    await connected()
    await waitUntil(
      () => virshConsole.exitCode !== null,
      'virsh console to lose the console',
      10_000,
    )

    await page.getByRole('tab', { name: '监视器', exact: true }).click()
    const input = page.locator('.monitor-panel').getByLabel('HMP 命令')
    const answers = page.getByTestId('monitor-output').getByText('VM status: running')
    const before = await answers.count()
    await input.fill('info status')
    await input.press('Enter')
    await answers.nth(before).waitFor()
    await screenshot(page, 'serial-monitor-zh')
    await page.getByTestId('language').selectOption('en')
    expect(problems).toEqual([])
  })
})
