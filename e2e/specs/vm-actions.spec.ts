import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from '../fixtures/app'
import { launchBrowser, openPage, screenshot } from '../fixtures/browser'
import { readTestHost, type TestHost } from '../fixtures/test-host'
import { virsh, quietly } from '../fixtures/virsh'

/** Scratch VMs of this run; no name is part of another (rows are found by text). */
const AUTO = `vdk-e2e-auto-${process.pid}`
const TRANSIENT = `vdk-e2e-trans-${process.pid}`
const DOOMED = `vdk-e2e-del-${process.pid}`
const DEAF = `vdk-e2e-acpi-${process.pid}`
const VOLUME = `${DOOMED}-disk.qcow2`
/** The page's shutdown timeout in this spec (?shutdownTimeout=SECONDS). */
const SHUTDOWN_TIMEOUT_S = 3

const succeeds = (...args: string[]) => {
  try {
    virsh(...args)
    return true
  } catch {
    return false
  }
}
/** A field of `virsh dominfo`, e.g. Autostart → enable. */
const dominfo = (name: string, field: string) =>
  new RegExp(`^${field}:\\s+(.+)$`, 'm').exec(virsh('dominfo', name))?.[1]?.trim()

/** A small TCG VM with no OS (it ignores ACPI shutdown), defined or created from XML. */
function makeVm(command: 'define' | 'create', name: string, extra = '', vcpus = 1, mib = 64) {
  const xml = `<domain type='qemu'><name>${name}</name><memory unit='MiB'>${mib}</memory>
    <vcpu>${vcpus}</vcpu><os><type arch='x86_64'>hvm</type></os><devices>${extra}</devices>
    </domain>`
  const file = join(tmpdir(), `${name}.xml`)
  writeFileSync(file, xml)
  try {
    virsh(command, file)
  } finally {
    rmSync(file)
  }
}

let host: TestHost
let browser: Browser
let app: RunningApp
let page: Page
let closePage: () => Promise<void>
let problems: string[]

/** The list row of a VM by name. */
const row = (name: string) => page.locator('.vm-body [role=row]', { hasText: name })
/** The actions toolbar, in either language. */
const toolbar = () => page.getByRole('toolbar', { name: /^(Actions|操作)$/ })
const button = (name: string) => toolbar().getByRole('button', { name, exact: true })
const stateOf = (name: string, label: string, timeout = 15_000) =>
  row(name).getByText(label, { exact: true }).waitFor({ timeout })
const language = (lng: 'en' | 'zh-CN') => page.getByTestId('language').selectOption(lng)

beforeAll(async () => {
  host = readTestHost()
  makeVm('define', AUTO, '', 2, 96)
  makeVm('create', TRANSIENT)
  virsh('vol-create-as', host.pool.name, VOLUME, '1M', '--format', 'qcow2')
  const disk = `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
    <source file='${join(host.pool.path, VOLUME)}'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>`
  makeVm('define', DOOMED, disk)
  // An internal snapshot (qemu-img writes it into the qcow2 volume; the VM is shut off).
  virsh('snapshot-create-as', DOOMED, 'before-delete')
  makeVm('define', DEAF)
  virsh('start', DEAF)
  browser = await launchBrowser()
  app = await startApp({ script: 'web', noBuild: true })
  ;({ page, problems, close: closePage } = await openPage(browser))
  await page.goto(app.url.replace('/#', `/?shutdownTimeout=${SHUTDOWN_TIMEOUT_S}#`))
  await page.getByTestId('local-system').getByRole('button', { name: 'Add' }).click()
  await row(AUTO).waitFor()
})

afterAll(async () => {
  for (const name of [AUTO, TRANSIENT, DOOMED, DEAF]) {
    quietly(() => virsh('destroy', name))
    quietly(() => virsh('undefine', name))
  }
  quietly(() => virsh('vol-delete', '--pool', host.pool.name, VOLUME))
  await closePage?.()
  await app?.stop()
  await browser?.close()
})

describe('VM list columns and actions', () => {
  it('shows vCPUs, memory size and autostart, and transient VMs as such', async () => {
    const cells = (name: string) =>
      Promise.all(
        ['vm-vcpus', 'vm-memory-size', 'vm-autostart'].map((id) =>
          row(name).getByTestId(id).textContent(),
        ),
      )
    expect(await cells(AUTO)).toEqual(['2', '96 MiB', 'Off'])
    expect(await cells(host.domains.vnc)).toEqual(['1', '128 MiB', 'Off'])
    await row(TRANSIENT).waitFor()
    expect(await cells(TRANSIENT)).toEqual(['1', '64 MiB', 'Transient'])
  })

  it('turns autostart on and off, and shows libvirt’s refusal for a transient VM', async () => {
    await row(AUTO).click()
    const toggle = button('Autostart')
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    await toggle.click()
    await row(AUTO).getByTestId('vm-autostart').getByText('On').waitFor()
    expect(dominfo(AUTO, 'Autostart')).toBe('enable')
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    await toggle.click()
    await row(AUTO).getByTestId('vm-autostart').getByText('Off').waitFor()
    expect(dominfo(AUTO, 'Autostart')).toBe('disable')

    // Both selected: on for both; libvirt refuses the transient one and says why.
    await row(TRANSIENT).click({ modifiers: ['Control'] })
    await toggle.click()
    const error = toolbar().getByRole('alert')
    await error.waitFor()
    expect(await error.textContent()).toMatch(new RegExp(`^${TRANSIENT}: .*transient`))
    await row(AUTO).getByTestId('vm-autostart').getByText('On').waitFor()
    expect(dominfo(AUTO, 'Autostart')).toBe('enable')
    expect(await toggle.getAttribute('aria-pressed')).toBe('mixed')
    await row(AUTO).click()
    await toggle.click()
    await row(AUTO).getByTestId('vm-autostart').getByText('Off').waitFor()
  })

  it('deletes a VM with its volume after showing its disks, and it leaves the list', async () => {
    const path = join(host.pool.path, VOLUME)
    await row(DOOMED).click()
    await button('Delete…').click()
    let dialog = page.getByRole('dialog', { name: `Delete ${DOOMED}?` })
    const disk = dialog.getByRole('checkbox', { name: /vda/ })
    await disk.waitFor()
    expect(await disk.isChecked()).toBe(true)
    expect(await dialog.textContent()).toContain(path)
    expect(await dialog.textContent()).toContain(`1 MiB volume in pool ${host.pool.name}`)
    // The empty CD-ROM drive has nothing to delete; the snapshot's metadata goes too.
    const cdrom = dialog.getByRole('checkbox', { name: /hdc/ })
    expect([await cdrom.isChecked(), await cdrom.isDisabled()]).toEqual([false, true])
    await dialog.getByText('The metadata of its snapshot is removed', { exact: false }).waitFor()
    await screenshot(page, 'vm-delete-dialog')
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    await language('zh-CN')
    await row(DOOMED).click()
    await button('删除…').click()
    dialog = page.getByRole('dialog', { name: `删除 ${DOOMED}？` })
    await dialog.getByRole('checkbox', { name: /vda/ }).waitFor()
    await screenshot(page, 'vm-delete-dialog-zh-CN')
    await dialog.getByRole('button', { name: '取消' }).click()
    await language('en')

    await row(DOOMED).click()
    await button('Delete…').click()
    dialog = page.getByRole('dialog', { name: `Delete ${DOOMED}?` })
    await dialog.getByRole('checkbox', { name: /vda/ }).waitFor()
    await dialog.getByRole('button', { name: 'Delete VM' }).click()
    await row(DOOMED).waitFor({ state: 'detached' })
    expect(await dialog.isVisible()).toBe(false)
    expect(succeeds('dominfo', DOOMED)).toBe(false)
    expect(succeeds('vol-info', '--pool', host.pool.name, VOLUME)).toBe(false)
  })

  it('offers Force off next to a VM that ignores Shut down past the timeout', async () => {
    await stateOf(DEAF, 'Running')
    await row(DEAF).click()
    const asked = Date.now()
    await button('Shut down').click()
    const notice = row(DEAF).getByTestId('shutdown-notice')
    await notice.waitFor({ timeout: (SHUTDOWN_TIMEOUT_S + 5) * 1000 })
    expect(Date.now() - asked).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_S * 1000)
    expect(await notice.textContent()).toMatch(/Still running after 0:0\d/)
    expect(virsh('domstate', DEAF).trim()).toBe('running')
    // It does not block: another VM can still be selected meanwhile.
    await row(AUTO).click()
    expect(await row(AUTO).getAttribute('aria-selected')).toBe('true')
    await screenshot(page, 'vm-shutdown-force-off-notice')
    await language('zh-CN')
    await notice.getByText(/关机 0:\d\d 后仍在运行/).waitFor()
    await screenshot(page, 'vm-shutdown-force-off-notice-zh-CN')
    await language('en')

    await notice.getByRole('button', { name: 'Force off' }).click()
    await stateOf(DEAF, 'Shut off')
    await notice.waitFor({ state: 'detached' })
    expect(virsh('domstate', DEAF).trim()).toBe('shut off')
    expect(problems).toEqual([])
  })
})
