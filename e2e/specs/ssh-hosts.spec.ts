/**
 * SSH hosts through the real UI and the test host's real sshd, in English and Chinese: an
 * unknown host key is shown and trusted (saved in the app's own known_hosts), the password
 * is asked, a wrong one is refused and asked again, the right one shows the VM list; then a
 * changed key gives the red warning with no way to accept it. Settings: the stats interval
 * and the language survive a restart of the app.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../../renderer/src/i18n/en.json'
import zhCN from '../../renderer/src/i18n/zh-CN.json'
import { startApp, type RunningApp } from '../fixtures/app'
import { launchBrowser, openPage, screenshot } from '../fixtures/browser'
import { readTestHost, type TestHost } from '../fixtures/test-host'

/** The host.json fields this spec needs besides the shared ones. */
interface SshTestHost extends TestHost {
  ssh: TestHost['ssh'] & {
    hostPublicKeyPath: string
    publicKeyPath: string
    passwordUser: { user: string; passwordFile: string; uri: string }
  }
}

/** A UI string by key, with {{placeholders}} filled, as i18next renders it. */
function translator(dict: object) {
  return (key: string, values: Record<string, string | number> = {}): string => {
    const text = key
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], dict)
    if (typeof text !== 'string') throw new Error(`no string ${key}`)
    return text.replace(/{{(\w+)}}/g, (_, name: string) => String(values[name]))
  }
}

const host = readTestHost() as SshTestHost
const { ssh } = host
const password = readFileSync(ssh.passwordUser.passwordFile, 'utf8').trim()
const keyBlob = (file: string) => readFileSync(file, 'utf8').split(' ')[1]!
const fingerprintOf = (blob: string) =>
  `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`
const hostKey = keyBlob(ssh.hostPublicKeyPath)
const NAME = `[${ssh.host}]:${ssh.port}`
const TARGET = `${ssh.passwordUser.user}@${ssh.host}:${ssh.port}`

let browser: Browser
let built = false
const cleanups: (() => Promise<void>)[] = []

/** Starts the app on its own user-data folder and HOME (so ~/.ssh plays no part). */
async function start(userDataDir: string, home: string): Promise<RunningApp> {
  const app = await startApp({
    script: 'web',
    noBuild: built,
    userDataDir,
    env: { HOME: home, SSH_AUTH_SOCK: '' },
  })
  built = true
  cleanups.push(() => app.stop())
  return app
}

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  await browser?.close()
})

describe.each([
  { lang: 'en', dict: en },
  { lang: 'zh-CN', dict: zhCN },
])('SSH host prompts and settings ($lang)', ({ lang, dict }) => {
  const t = translator(dict)
  let userDataDir: string
  let home: string
  let app: RunningApp
  let page: Page
  let problems: string[]
  let closePage: () => Promise<void>

  beforeAll(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'virtdeck-e2e-ssh-'))
    home = await mkdtemp(join(tmpdir(), 'virtdeck-e2e-home-'))
    cleanups.push(() => rm(userDataDir, { recursive: true, force: true }))
    cleanups.push(() => rm(home, { recursive: true, force: true }))
    app = await start(userDataDir, home)
    ;({ page, problems, close: closePage } = await openPage(browser))
    cleanups.push(() => closePage())
    await page.goto(app.url)
    await page.getByTestId('local-system').waitFor()
    if (lang !== 'en') {
      await page.getByTestId('language').selectOption(lang)
      await page.getByRole('heading', { name: t('welcome.title') }).waitFor()
    }
  })

  it('asks to trust the unknown host key, then for the password until it is right', async () => {
    await page.getByRole('button', { name: t('sidebar.addHost'), exact: true }).click()
    const add = page.getByRole('dialog', { name: t('addHost.title') })
    await add.getByRole('radio', { name: t('addHost.kind.uri') }).click()
    await add.getByLabel(t('addHost.uri')).fill(ssh.passwordUser.uri)
    await add.getByLabel(t('addHost.name')).fill('Tester')
    await add.getByRole('button', { name: t('addHost.add') }).click()

    const trust = page.getByRole('dialog', { name: t('prompt.hostKey.title') })
    await trust.waitFor()
    expect(await trust.getByTestId('host-key-fingerprint').textContent()).toBe(
      fingerprintOf(hostKey),
    )
    const appKnownHosts = join(userDataDir, 'known_hosts')
    expect(await trust.textContent()).toContain(t('prompt.hostKey.unknown', { host: NAME }))
    expect(await trust.textContent()).toContain(t('prompt.hostKey.saveTo', { file: appKnownHosts }))
    await screenshot(page, `ssh-host-key-prompt-${lang}`)
    await trust.getByRole('button', { name: t('prompt.hostKey.trust') }).click()

    const ask = () =>
      page.getByRole('dialog', { name: t('prompt.secret.title.ssh-password', { target: TARGET }) })
    await ask().waitFor()
    expect(await readFile(appKnownHosts, 'utf8')).toBe(`${NAME} ssh-ed25519 ${hostKey}\n`)
    await ask().getByLabel(t('prompt.secret.label.ssh-password')).fill('not-the-password')
    await screenshot(page, `ssh-password-prompt-${lang}`)
    await ask()
      .getByRole('button', { name: t('prompt.secret.submit') })
      .click()

    // The server's refusal, and the question again.
    await ask().getByText(t('prompt.secret.refused.ssh-password')).waitFor({ timeout: 20_000 })
    expect(await ask().getByRole('alert').textContent()).toMatch(/failed: tried password/)
    await screenshot(page, `ssh-password-refused-${lang}`)
    await ask().getByLabel(t('prompt.secret.label.ssh-password')).fill(password)
    await ask()
      .getByRole('button', { name: t('prompt.secret.submit') })
      .click()

    const connection = page.getByTestId('host-connection')
    await connection
      .getByText(t('host.status.connected'), { exact: true })
      .waitFor({ timeout: 20_000 })
    const vmList = page.getByRole('region', { name: t('vm.listTitle') })
    await vmList.getByText(host.domains.vnc, { exact: true }).waitFor()
    expect(await page.getByRole('dialog').count()).toBe(0)
    await screenshot(page, `ssh-password-connected-${lang}`)
  })

  it('refuses a changed host key with a red warning and no way to accept it', async () => {
    const appKnownHosts = join(userDataDir, 'known_hosts')
    const wrongKey = keyBlob(ssh.publicKeyPath)
    await writeFile(
      appKnownHosts,
      `# the key below is not the server's\n${NAME} ssh-ed25519 ${wrongKey}\n`,
    )
    await page.getByRole('button', { name: t('host.disconnect'), exact: true }).click()
    await page.getByRole('button', { name: t('host.connect'), exact: true }).click()

    const warning = page.getByTestId('host-key-changed')
    await warning.waitFor({ timeout: 20_000 })
    expect(await warning.getByText(t('hostKeyChanged.title')).count()).toBe(1)
    expect(await warning.getByTestId('host-key-new').textContent()).toBe(fingerprintOf(hostKey))
    expect(await warning.getByTestId('host-key-old').textContent()).toBe(
      `ssh-ed25519 ${fingerprintOf(wrongKey)}`,
    )
    expect(await warning.textContent()).toContain(
      t('hostKeyChanged.recorded', { file: appKnownHosts, line: 2 }),
    )
    expect(await warning.textContent()).toContain(`ssh-keygen -f "${appKnownHosts}" -R "${NAME}"`)
    // Only the copy button: nothing accepts the new key, and no prompt asks about it.
    const buttons = await warning.getByRole('button').allTextContents()
    expect(buttons).toEqual([t('common.copy')])
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(await page.getByTestId('host-connection').textContent()).toContain(
      t('host.status.failed'),
    )
    // The file is left as it was: fixing it is the user's call.
    expect(await readFile(appKnownHosts, 'utf8')).toContain(wrongKey)
    await warning.scrollIntoViewIfNeeded()
    await screenshot(page, `ssh-host-key-changed-${lang}`)
  })

  it('saves the stats interval, which the app still has after a restart', async () => {
    await page.getByRole('button', { name: t('settings.open'), exact: true }).click()
    const dialog = page.getByRole('dialog', { name: t('settings.title') })
    const interval = dialog.getByLabel(t('settings.statsInterval'))
    expect(await interval.inputValue()).toBe('1')
    await interval.fill('0.1')
    await dialog.getByText(t('settings.invalid', { min: 0.5, max: 60 })).waitFor()
    expect(await dialog.getByRole('button', { name: t('common.save') }).isDisabled()).toBe(true)
    await interval.fill('2.5')
    await screenshot(page, `settings-${lang}`)
    await dialog.getByLabel(t('settings.theme')).selectOption('dark')
    await dialog.getByRole('button', { name: t('common.save') }).click()
    await dialog.waitFor({ state: 'hidden' })
    // The theme applies at once: the page turns dark whatever the OS says.
    const background = () =>
      page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    expect(await background()).toBe('rgb(21, 24, 30)')
    await screenshot(page, `settings-dark-${lang}`)
    const saved = JSON.parse(await readFile(join(userDataDir, 'settings.json'), 'utf8')) as object
    expect(saved).toMatchObject({
      theme: 'dark',
      version: 1,
      statsIntervalSeconds: 2.5,
      language: lang === 'en' ? null : lang,
    })
    expect(problems).toEqual([])

    await app.stop()
    app = await start(userDataDir, home)
    const fresh = await openPage(browser)
    cleanups.push(() => fresh.close())
    await fresh.page.goto(app.url)
    // A new page has no localStorage: the language comes from settings.json.
    await fresh.page.getByRole('heading', { name: t('welcome.title') }).waitFor()
    await fresh.page.getByRole('button', { name: t('settings.open'), exact: true }).click()
    const again = fresh.page.getByRole('dialog', { name: t('settings.title') })
    expect(await again.getByLabel(t('settings.statsInterval')).inputValue()).toBe('2.5')
    expect(await fresh.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    expect(fresh.problems).toEqual([])
  })
})

describe('an unusable settings file', () => {
  it('is kept aside as settings.json.bad; the app starts with defaults and says so', async () => {
    const t = translator(en)
    const userDataDir = await mkdtemp(join(tmpdir(), 'virtdeck-e2e-badsettings-'))
    cleanups.push(() => rm(userDataDir, { recursive: true, force: true }))
    await writeFile(join(userDataDir, 'settings.json'), '{"version":1,"statsIntervalSeconds":')
    const app = await start(userDataDir, userDataDir)
    const { page, problems, close } = await openPage(browser)
    cleanups.push(() => close())
    await page.goto(app.url)
    const notice = page.getByTestId('settings-notice')
    await notice.waitFor()
    const kept = join(userDataDir, 'settings.json.bad')
    expect(await notice.textContent()).toContain(t('settings.notice.body', { file: kept }))
    expect(await readFile(kept, 'utf8')).toBe('{"version":1,"statsIntervalSeconds":')
    await screenshot(page, 'settings-notice-en')
    await notice.getByRole('button', { name: t('settings.notice.dismiss') }).click()
    await notice.waitFor({ state: 'detached' })
    await page.reload()
    await page.getByRole('heading', { name: t('welcome.title') }).waitFor()
    expect(await page.getByTestId('settings-notice').count()).toBe(0)
    expect(problems).toEqual([])
  })
})
