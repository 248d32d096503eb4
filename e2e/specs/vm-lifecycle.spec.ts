import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../fixtures/app'
import { launchBrowser, openPage, screenshot } from '../fixtures/browser'
import { readTestHost, type TestHost } from '../fixtures/test-host'
import { virsh, quietly, watchEvent } from '../fixtures/virsh'
import { waitUntil } from '../fixtures/wait'

const BROKEN = `vdk-e2e-broken-${process.pid}`

let host: TestHost
let browser: Browser
let app: RunningApp
let page: Page
let closePage: () => Promise<void>
let problems: string[]

/** The list row of a VM by name. */
const row = (name: string) => page.locator('.vm-body [role=row]', { hasText: name })
/** Waits until a VM's row shows a state label. */
const stateOf = (name: string, label: string, timeout = 15_000) =>
  row(name).getByText(label, { exact: true }).waitFor({ timeout })
const action = (name: string) =>
  page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name, exact: true })

beforeAll(async () => {
  host = readTestHost()
  quietly(() => virsh('destroy', host.domains.vnc))
  quietly(() => virsh('destroy', host.domains.linux))
  // A VM whose disk file does not exist: starting it must fail with libvirt's own error.
  const xml = `<domain type='qemu'><name>${BROKEN}</name><memory unit='MiB'>64</memory>
    <os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'>
    <source file='/var/tmp/${BROKEN}-missing.qcow2'/><target dev='vda' bus='virtio'/></disk>
    </devices></domain>`
  const file = join(tmpdir(), `${BROKEN}.xml`)
  writeFileSync(file, xml)
  virsh('define', file)
  rmSync(file)
  browser = await launchBrowser()
  app = await startApp({ script: 'web', noBuild: true })
  ;({ page, problems, close: closePage } = await openPage(browser))
  await page.goto(app.url)
  await page.getByTestId('local-system').getByRole('button', { name: 'Add' }).click()
  await row(host.domains.vnc).waitFor()
})

afterAll(async () => {
  quietly(() => virsh('destroy', host.domains.vnc))
  quietly(() => virsh('undefine', BROKEN))
  await closePage?.()
  await app?.stop()
  await browser?.close()
})

describe('VM lifecycle from the list', () => {
  it('starts, pauses, resumes and forces off the diskless VM, updating without a reload', async () => {
    await row(host.domains.vnc).click()
    await action('Start').click()
    await stateOf(host.domains.vnc, 'Running')
    expect(virsh('domstate', host.domains.vnc).trim()).toBe('running')
    // Live stats from the 1 s bulk-stats tick: CPU share and memory (128 MiB guest).
    await row(host.domains.vnc)
      .getByTestId('vm-cpu')
      .getByText(/^\d+%$/)
      .waitFor()
    expect(await row(host.domains.vnc).getByTestId('vm-memory').textContent()).toMatch(
      /\d+ MiB \/ 128 MiB/,
    )
    await page.waitForTimeout(3000) // a few ticks, so the sparklines have a line
    await screenshot(page, 'vm-running')

    await action('Pause').click()
    await stateOf(host.domains.vnc, 'Paused')
    await action('Resume').click()
    await stateOf(host.domains.vnc, 'Running')

    await action('Force off').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByText('Like pulling the power cord').waitFor()
    await screenshot(page, 'vm-force-off-confirm')
    await dialog.getByRole('button', { name: 'Force off' }).click()
    await stateOf(host.domains.vnc, 'Shut off')
    expect(virsh('domstate', host.domains.vnc).trim()).toBe('shut off')
  })

  it('starts two selected VMs with one click, reboots one, resets the other, shuts one down', async () => {
    const [vnc, linux] = [host.domains.vnc, host.domains.linux]
    const serialLog = () =>
      existsSync(host.guest.serialLogPath) ? readFileSync(host.guest.serialLogPath, 'latin1') : ''
    const boots = () => serialLog().split(host.guest.readyLine).length - 1
    const reboots = { [vnc]: watchEvent(vnc, 'reboot'), [linux]: watchEvent(linux, 'reboot') }
    try {
      await row(vnc).click()
      await row(linux).click({ modifiers: ['Control'] })
      expect(await page.locator('.vm-body [aria-selected=true]').count()).toBe(2)
      await action('Start').click()
      await stateOf(vnc, 'Running')
      await stateOf(linux, 'Running')
      await screenshot(page, 'vm-list-two-started')
      // virtlogd starts the serial log afresh; the guest writes its ready line once booted.
      await waitUntil(() => boots() === 1, `${linux} to boot`)

      // Reboot asks the guest (ACPI); the tiny guest powers off and libvirt starts it again.
      await row(linux).click()
      await action('Reboot').click()
      await waitUntil(() => reboots[linux]!.count() > 0, `the reboot event of ${linux}`)
      await waitUntil(() => boots() === 2, `${linux} to boot again`)
      await stateOf(linux, 'Running')

      // Reset is like the reset button: asked first, then the VM restarts at once.
      await row(vnc).click()
      await action('Reset').click()
      const dialog = page.getByRole('dialog', { name: 'Reset 1 VM?' })
      await dialog.getByText('Like pressing the reset button').waitFor()
      await dialog.getByRole('button', { name: 'Reset' }).click()
      await waitUntil(() => reboots[vnc]!.count() > 0, `the reset of ${vnc}`)
      await stateOf(vnc, 'Running')

      // Shut down: the guest powers itself off when asked, so no Force off is offered.
      await row(linux).click()
      await action('Shut down').click()
      await stateOf(linux, 'Shut off', 30_000)
      expect(virsh('domstate', linux).trim()).toBe('shut off')
      expect(await row(linux).getByTestId('shutdown-notice').count()).toBe(0)

      await row(vnc).click()
      await action('Force off').click()
      await page.getByRole('dialog').getByRole('button', { name: 'Force off' }).click()
      await stateOf(vnc, 'Shut off')
      expect(problems).toEqual([])
    } finally {
      for (const watch of Object.values(reboots)) watch.stop()
      quietly(() => virsh('destroy', linux))
      quietly(() => virsh('destroy', vnc))
    }
  })

  it('saves a running VM to a file and restores it', async () => {
    const file = `/var/tmp/vdk-e2e-${process.pid}.save`
    try {
      await row(host.domains.vnc).click()
      await action('Start').click()
      await stateOf(host.domains.vnc, 'Running')
      await action('Save to file…').click()
      const dialog = page.getByRole('dialog', { name: `Save ${host.domains.vnc} to a file` })
      await dialog.getByLabel('File on the host').fill(file)
      await screenshot(page, 'vm-save-dialog')
      // The progress bar shows in the dialog from the moment the save starts until it ends.
      const progress = dialog.getByTestId('job-progress')
      const shown = progress.waitFor({ state: 'visible', timeout: 30_000 })
      await dialog.getByRole('button', { name: 'Save to file…' }).click()
      await shown
      await screenshot(page, 'vm-save-progress') // usually still saving: libvirt takes ~2 s
      await stateOf(host.domains.vnc, 'Shut off', 30_000)
      await dialog.waitFor({ state: 'hidden' })
      expect(virsh('domstate', host.domains.vnc).trim()).toBe('shut off')

      await action('Restore from file…').click()
      const restore = page.getByRole('dialog', { name: 'Restore a VM from a file' })
      await restore.getByLabel('File on the host').fill(file)
      await restore.getByRole('button', { name: 'Restore from file…' }).click()
      await stateOf(host.domains.vnc, 'Running', 30_000)

      // A missing file: libvirt's error in the dialog, which stays open.
      await action('Restore from file…').click()
      await restore.getByLabel('File on the host').fill('/var/tmp/no-such-save-file')
      await restore.getByRole('button', { name: 'Restore from file…' }).click()
      await restore
        .getByRole('alert')
        .getByText(/no-such-save-file/)
        .waitFor()
      await restore.getByRole('button', { name: 'Cancel' }).click()

      await action('Force off').click()
      await page.getByRole('dialog').getByRole('button', { name: 'Force off' }).click()
      await stateOf(host.domains.vnc, 'Shut off')
    } finally {
      rmSync(file, { force: true })
    }
  })

  it('saves the state of a running VM with progress in its row, and resumes it on start', async () => {
    try {
      await row(host.domains.vnc).click()
      await action('Start').click()
      await stateOf(host.domains.vnc, 'Running')
      const progress = row(host.domains.vnc).getByTestId('job-progress')
      const shown = progress.waitFor({ state: 'visible', timeout: 30_000 })
      await action('Save state').click()
      await shown
      await screenshot(page, 'vm-managed-save-progress')
      await stateOf(host.domains.vnc, 'Shut off', 30_000)
      await progress.waitFor({ state: 'detached' })
      expect(virsh('dominfo', host.domains.vnc)).toMatch(/Managed save:\s+yes/)

      // Start resumes from the image (libvirt's reason: restored) and removes it.
      await action('Start').click()
      await stateOf(host.domains.vnc, 'Running', 30_000)
      expect(virsh('domstate', host.domains.vnc, '--reason').trim()).toBe('running (restored)')
      expect(virsh('dominfo', host.domains.vnc)).toMatch(/Managed save:\s+no/)

      // The same from the VM's details: the bar stands in its heading.
      await row(host.domains.vnc).dblclick()
      const heading = page.locator('.vm-heading')
      const inHeading = heading.getByTestId('job-progress').waitFor({ timeout: 30_000 })
      await action('Save state').click()
      await inHeading
      await screenshot(page, 'vm-details-managed-save-progress')
      await heading.getByText('Shut off', { exact: true }).waitFor({ timeout: 30_000 })
      await page.getByRole('button', { name: /^← Back to/ }).click()
    } finally {
      quietly(() => virsh('destroy', host.domains.vnc))
      quietly(() => virsh('managedsave-remove', host.domains.vnc))
    }
    await stateOf(host.domains.vnc, 'Shut off')
  })

  it('shows a change made outside the app within 2 s', async () => {
    virsh('start', host.domains.vnc)
    const started = Date.now()
    await stateOf(host.domains.vnc, 'Running', 2000)
    expect(Date.now() - started).toBeLessThan(2000)
    virsh('destroy', host.domains.vnc)
    await stateOf(host.domains.vnc, 'Shut off', 2000)
  })

  it('shows libvirt’s error when an action fails, and keeps working', async () => {
    await row(BROKEN).click()
    await action('Start').click()
    const error = page.getByRole('toolbar', { name: 'Actions' }).getByRole('alert')
    await error.waitFor()
    expect(await error.textContent()).toContain(BROKEN)
    expect(await error.textContent()).toMatch(/missing\.qcow2/)
    await screenshot(page, 'vm-start-failed')
    await stateOf(BROKEN, 'Shut off')

    // The app still works: the diskless VM starts and stops.
    await row(host.domains.vnc).click()
    await action('Start').click()
    await stateOf(host.domains.vnc, 'Running')
    await action('Force off').click()
    await page.getByRole('dialog').getByRole('button', { name: 'Force off' }).click()
    await stateOf(host.domains.vnc, 'Shut off')
    expect(problems).toEqual([])
  })
})
