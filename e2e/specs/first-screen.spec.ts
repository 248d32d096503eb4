import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../fixtures/app'
import { launchBrowser, openPage, screenshot } from '../fixtures/browser'
import { readTestHost, type TestHost } from '../fixtures/test-host'

let host: TestHost
let browser: Browser
let app: RunningApp

beforeAll(async () => {
  host = readTestHost()
  browser = await launchBrowser()
  // The README's start command, with the test host's session daemon in XDG_RUNTIME_DIR.
  app = await startApp({ env: { XDG_RUNTIME_DIR: host.session.xdgRuntimeDir } })
})

afterAll(async () => {
  await app?.stop()
  await browser?.close()
})

describe('first screen (web mode through the start command)', () => {
  it('says in one line that it falls back to web mode and prints a tokened loopback URL', () => {
    expect(app.output()).toMatch(
      /Electron cannot start here \(.+\): serving the UI in web mode instead\./,
    )
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/)
  })

  it('shows both local daemons of the test host as running, and adds one', async () => {
    const { page, problems, close } = await openPage(browser)
    await page.goto(app.url)
    await page.getByRole('heading', { name: 'Welcome to Virtdeck' }).waitFor()
    const system = page.getByTestId('local-system')
    const session = page.getByTestId('local-session')
    await system.getByText('Running').waitFor()
    await session.getByText('Running').waitFor()
    expect(await system.textContent()).toContain('qemu:///system')
    expect(await session.textContent()).toContain(host.session.socket)
    await screenshot(page, 'first-screen')

    await system.getByRole('button', { name: 'Add' }).click()
    await page.getByRole('heading', { name: 'This computer (System)' }).waitFor()
    // The app connects through its own libvirt client and shows what the daemon says.
    const connection = page.getByTestId('host-connection')
    await connection.getByText('Connected', { exact: true }).waitFor()
    expect(await page.locator('.facts').first().textContent()).toMatch(
      /libvirt version\s*\d+\.\d+\.\d+/,
    )
    const sidebar = page.getByRole('navigation', { name: 'Hosts' })
    expect(await sidebar.textContent()).toContain('qemu:///system')
    // What the host is: hypervisor, daemon mode, KVM answered from the capabilities.
    const overview = page.getByTestId('host-overview')
    await overview.waitFor()
    const facts = await overview.textContent()
    expect(facts).toMatch(/QEMU \d+\.\d+/)
    expect(facts).toMatch(/\d+ CPUs? \(\d+ sockets? × \d+ cores? × \d+ threads?\)/)
    expect(facts).not.toMatch(/\b1 (CPUs|sockets|cores|threads)\b/)
    expect(facts).toContain('Monolithic (libvirtd)')
    expect(facts).toMatch(/KVM(Available|Not available)/)
    // Its VMs, listed from the daemon.
    const vmList = page.getByRole('region', { name: 'Virtual machines' })
    await vmList.getByText(host.domains.vnc, { exact: true }).waitFor()
    await vmList.getByText(host.domains.linux, { exact: true }).waitFor()
    await screenshot(page, 'host-added')
    expect(problems).toEqual([])
    await close()
  })

  it('adds a remote host over SSH, and explains a bad URI without adding it', async () => {
    const { page, problems, close } = await openPage(browser)
    await page.goto(app.url)
    await page.getByRole('button', { name: 'Add a remote host' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add a host' })
    await dialog.getByLabel('Host name or address').fill(host.ssh.host)
    await dialog.getByLabel('Port').fill(String(host.ssh.port))
    await dialog.getByTestId('uri-summary').waitFor()
    expect(await dialog.getByTestId('uri-summary').textContent()).toContain(
      `qemu+ssh://root@${host.ssh.host}:${host.ssh.port}/system`,
    )
    await screenshot(page, 'add-host-ssh')
    await dialog.getByRole('button', { name: 'Add host' }).click()
    await page.getByRole('heading', { name: `${host.ssh.host} (System)` }).waitFor()
    // Its host key is unknown: the app asks; trusted, no key of root's is authorised there.
    const trust = page.getByRole('dialog', { name: 'Trust this host?' })
    await trust.getByRole('button', { name: 'Trust and connect' }).click()
    const connection = page.getByTestId('host-connection')
    await connection.getByText('Failed', { exact: true }).waitFor()
    expect(await connection.textContent()).toContain('Authentication failed')
    await screenshot(page, 'ssh-host-refused')

    // With the test key and known_hosts in the URI, the same host connects over SSH.
    const keyed =
      `qemu+ssh://root@${host.ssh.host}:${host.ssh.port}/system` +
      `?keyfile=${host.ssh.privateKeyPath}&known_hosts=${host.ssh.knownHostsPath}`
    await page.getByRole('button', { name: 'Add host' }).first().click()
    await dialog.getByRole('radio', { name: 'Custom URI' }).click()
    await dialog.getByLabel('libvirt URI').fill(keyed)
    await dialog.getByLabel('Name (optional)').fill('Over SSH')
    await dialog.getByRole('button', { name: 'Add host' }).click()
    await page.getByRole('heading', { name: 'Over SSH' }).waitFor()
    await connection.getByText('Connected', { exact: true }).waitFor()
    const vmList = page.getByRole('region', { name: 'Virtual machines' })
    await vmList.getByText(host.domains.vnc, { exact: true }).waitFor()
    await screenshot(page, 'ssh-host-connected')

    await page.getByRole('button', { name: 'Add host' }).first().click()
    await dialog.getByRole('radio', { name: 'Custom URI' }).click()
    await dialog.getByLabel('libvirt URI').fill('qemu+ssh:///system')
    await dialog
      .getByRole('alert')
      .getByText(/needs a host/)
      .waitFor()
    expect(await dialog.getByRole('button', { name: 'Add host' }).isDisabled()).toBe(true)
    await screenshot(page, 'add-host-bad-uri')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    const names = await page.locator('.host-list .host-name').allTextContents()
    expect(names).toEqual(['This computer (System)', `${host.ssh.host} (System)`, 'Over SSH'])
    // Default names follow the language; the one the user typed stays as typed.
    await page.getByTestId('language').selectOption('zh-CN')
    await page.getByRole('heading', { name: 'Over SSH' }).waitFor()
    await page.locator('.host-list .host-name', { hasText: '本机（系统）' }).waitFor()
    expect(await page.locator('.host-list .host-name').allTextContents()).toEqual([
      '本机（系统）',
      `${host.ssh.host}（系统）`,
      'Over SSH',
    ])
    expect(await page.locator('.facts').first().textContent()).toContain(
      `root@${host.ssh.host}:${host.ssh.port}上的 qemu，经 ssh（系统）`,
    )
    await screenshot(page, 'host-names-zh-CN')
    await page.getByTestId('language').selectOption('en')

    // Renamed, the host keeps the new name; an empty name brings the default back.
    const defaultName = `${host.ssh.host} (System)`
    await page.locator('.host-list .host-name', { hasText: defaultName }).click()
    await page.getByRole('heading', { name: defaultName }).waitFor()
    await page.getByRole('button', { name: 'Rename' }).click()
    const rename = page.getByRole('textbox', { name: 'Rename' })
    await rename.fill('Build server')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { name: 'Build server' }).waitFor()
    await page.locator('.host-list .host-name', { hasText: 'Build server' }).waitFor()
    await page.getByRole('button', { name: 'Rename' }).click()
    expect(await rename.inputValue()).toBe('Build server')
    await rename.fill('')
    expect(await rename.getAttribute('placeholder')).toBe(defaultName)
    await screenshot(page, 'host-rename-empty')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { name: defaultName }).waitFor()
    expect(problems).toEqual([])
    await close()
  })

  it('lists the 1,000 domains of a test-driver host, virtualized, and filters them', async () => {
    const { page, problems, close } = await openPage(browser)
    await page.goto(app.url)
    await page.getByRole('button', { name: 'Add host' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'Add a host' })
    await dialog.getByRole('radio', { name: 'Custom URI' }).click()
    await dialog.getByLabel('libvirt URI').fill(host.testDriver.uri)
    await dialog.getByLabel('Name (optional)').fill('Scale')
    await dialog.getByRole('button', { name: 'Add host' }).click()
    const count = page.getByTestId('vm-count')
    await page.getByText('1000 of 1000').waitFor({ timeout: 20_000 })
    // Virtualized: only a screenful of rows is in the DOM.
    const rendered = await page.locator('.vm-body [role=row]').count()
    expect(rendered).toBeGreaterThan(5)
    expect(rendered).toBeLessThan(100)
    await page.getByLabel('Filter by name').fill('scale-0007')
    expect(await count.textContent()).toBe('1 of 1000')
    await page.getByText('scale-0007', { exact: true }).waitFor()
    await page.getByLabel('Filter by name').fill('')
    await page.getByLabel('State', { exact: true }).selectOption('running')
    expect(await count.textContent()).toBe('500 of 1000')
    await screenshot(page, 'vm-list-1000')
    expect(problems).toEqual([])
    await close()
  })

  it('switches to Simplified Chinese at run time and keeps the choice', async () => {
    const { page, close } = await openPage(browser)
    await page.goto(app.url)
    await page.getByTestId('language').selectOption('zh-CN')
    await page.getByRole('heading', { name: '欢迎使用 Virtdeck' }).waitFor()
    expect(await page.getByTestId('local-system').textContent()).toContain('运行中')
    await screenshot(page, 'first-screen-zh-CN')
    // A URI the app refuses is explained in Chinese too, with the URI's own words in it.
    await page.getByRole('button', { name: '添加主机' }).first().click()
    const dialog = page.getByRole('dialog', { name: '添加主机' })
    await dialog.getByRole('radio', { name: '自定义 URI' }).click()
    await dialog.getByLabel('libvirt URI').fill('qemu+ssh:///system')
    await dialog.getByRole('alert').getByText('ssh 传输方式需要主机').waitFor()
    await dialog.getByLabel('libvirt URI').fill('qemu:///system?mode=fast')
    await dialog.getByRole('alert').getByText('参数 mode 可取 auto, legacy, direct').waitFor()
    await screenshot(page, 'add-host-bad-uri-zh-CN')
    await dialog.getByRole('button', { name: '取消' }).click()
    await page.reload()
    await page.getByRole('heading', { name: '欢迎使用 Virtdeck' }).waitFor()
    await close()
  })

  it('refuses a page without the token or with a stale one, and says what to do', async () => {
    const { page, close } = await openPage(browser)
    await page.goto(app.url.replace(/#token=.*/, ''))
    await page.getByText('This address is missing its access token').waitFor()
    await page.goto(app.url.replace(/#token=.*/, '#token=stale'))
    await page.reload()
    await page.getByText('The app refused this page').waitFor()
    await screenshot(page, 'refused')
    await close()
  })
})

describe('first screen on a machine without libvirt', () => {
  it('explains how to install libvirt and still offers a remote host', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'virtdeck-nolibvirt-'))
    const bare = await startApp({
      script: 'web',
      noBuild: true,
      env: { VIRTDECK_LIBVIRT_SOCKET_DIRS: empty, XDG_RUNTIME_DIR: empty, HOME: empty },
    })
    try {
      const { page, problems, close } = await openPage(browser)
      await page.goto(bare.url)
      const advice = page.getByTestId('install-advice')
      await advice.waitFor()
      expect(await advice.textContent()).toContain(
        'sudo apt install qemu-kvm libvirt-daemon-system',
      )
      expect(await advice.textContent()).toContain('sudo adduser $USER libvirt')
      expect(await page.getByRole('button', { name: 'Add a remote host' }).isVisible()).toBe(true)
      await screenshot(page, 'first-screen-no-libvirt')
      // The app going away is reported, not a blank page.
      await bare.stop()
      await page.getByText('Lost the connection to the app').waitFor()
      expect(problems.filter((p) => !/WebSocket/.test(p))).toEqual([])
      await close()
    } finally {
      await bare.stop()
      await rm(empty, { recursive: true, force: true })
    }
  })
})
