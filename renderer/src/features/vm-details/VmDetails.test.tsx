import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { VmDetails as Details } from '@common/contract/vm-details'
import type { VmSummary } from '@common/contract/vms'
import { initI18n } from '../../i18n'
import { setApi } from '../../ipc/api'
import type { Api } from '../../ipc/client'
import { initialUiState } from '../../stores/ui/initial-state'
import { useUiStore } from '../../stores/ui/store'
import { initialVmDetailsState } from '../../stores/vm-details/initial-state'
import { useVmDetailsStore } from '../../stores/vm-details/store'
import { useVmsStore } from '../../stores/vms/store'
import { VmDetails } from './VmDetails'

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean
}

const UUID = 'adc67413-97dc-463d-be21-990e4692c6cf'

/** What main answered for the UEFI capture in electron/main/services/vms/fixtures. */
const details: Details = {
  hostId: 'h',
  name: 'uefi-guest',
  uuid: UUID,
  title: 'UEFI capture',
  description: 'A UEFI guest with secure boot',
  state: 'running',
  persistent: true,
  autostart: false,
  domainType: 'qemu',
  osType: 'hvm',
  arch: 'x86_64',
  machine: 'pc-q35-7.2',
  firmware: {
    kind: 'uefi',
    loader: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd',
    loaderType: 'pflash',
    secureBoot: true,
    nvram: '/var/lib/libvirt/qemu/nvram/uefi-guest_VARS.fd',
  },
  vcpus: { current: 1, max: 2 },
  memoryKiB: 262144,
  currentMemoryKiB: 196608,
  bootOrder: [
    { device: 'disk', target: 'sda' },
    { device: 'interface', target: '52:54:00:e9:49:9c' },
  ],
  disks: [
    {
      device: 'disk',
      targetDev: 'vda',
      bus: 'virtio',
      sourceType: 'file',
      source: '/var/tmp/disk0.qcow2',
      format: 'qcow2',
      readOnly: false,
    },
    {
      device: 'cdrom',
      targetDev: 'sda',
      bus: 'sata',
      sourceType: 'file',
      source: '',
      readOnly: true,
    },
  ],
  nics: [
    {
      mac: '52:54:00:e9:49:9c',
      type: 'network',
      source: 'virtdeck-isolated',
      model: 'virtio',
      targetDev: 'vnet0',
      linkUp: true,
      addresses: [{ family: 'ipv4', address: '192.168.100.7', prefix: 24 }],
    },
  ],
  graphics: [{ type: 'vnc', port: 5900, autoport: true, listen: '127.0.0.1' }],
  consoles: [
    { kind: 'serial', type: 'pty', targetType: 'isa-serial', port: 0, source: '/dev/pts/0' },
  ],
}

const summary = (state: VmSummary['state']): VmSummary =>
  ({ hostId: 'h', uuid: UUID, name: 'uefi-guest', state, id: 3 }) as VmSummary

/** A stand-in for main's vmDetails service that counts the calls. */
function fakeMain() {
  const calls = { get: 0, xml: [] as boolean[] }
  const vmDetails = {
    get: async () => {
      calls.get++
      return details
    },
    xml: async ({ inactive }: { inactive?: boolean }) => {
      calls.xml.push(inactive ?? false)
      return `<domain type='qemu'>\n  <name>uefi-guest</name>${inactive ? '' : '\n  <!-- live -->'}\n</domain>`
    },
  }
  setApi({ vmDetails } as unknown as Api)
  return calls
}

let container: HTMLDivElement
let root: Root

/** Re-runs an assertion until it passes (async loads settle in a few microtasks). */
async function eventually(check: () => void, ms = 2000) {
  const end = Date.now() + ms
  for (;;) {
    try {
      check()
      return
    } catch (err) {
      if (Date.now() > end) throw err
      await act(() => new Promise((r) => setTimeout(r, 10)))
    }
  }
}

const text = () => container.textContent ?? ''
const tab = (name: string) =>
  [...container.querySelectorAll<HTMLButtonElement>('[role=tab]')].find(
    (b) => b.textContent === name,
  )!

beforeAll(async () => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true
  await initI18n()
})

beforeEach(() => {
  useUiStore.setState(initialUiState)
  useVmDetailsStore.setState(initialVmDetailsState)
  useVmsStore.setState({ byHost: { h: [summary('running')] } })
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
})

afterEach(() => {
  act(() => root.unmount())
  container.remove()
})

const render = () =>
  act(() => root.render(<VmDetails hostId="h" uuid={UUID} hostName="Test host" />))

describe('VmDetails', () => {
  it('shows the header and the overview facts of a details object', async () => {
    fakeMain()
    await render()
    expect(container.querySelector('h1')?.textContent).toBe('uefi-guest')
    await eventually(() => expect(text()).toContain('pc-q35-7.2'))
    const facts = (testId: string) =>
      container.querySelector(`[data-testid=${testId}]`)?.textContent ?? ''
    expect(facts('details-general')).toContain(UUID)
    expect(facts('details-general')).toContain('Persistent (kept when it stops)')
    expect(facts('details-system')).toContain('QEMU (software emulation, TCG)')
    expect(facts('details-system')).toContain('x86_64')
    expect(facts('details-system')).toContain('UEFI · Secure Boot on')
    expect(facts('details-system')).toContain('/usr/share/OVMF/OVMF_CODE_4M.ms.fd (pflash)')
    expect(facts('details-system')).toContain('uefi-guest_VARS.fd')
    expect(facts('details-resources')).toContain('1 (up to 2)')
    expect(facts('details-resources')).toContain('256 MiB')
    expect(facts('details-resources')).toContain('192 MiB')
    const boot = [...container.querySelectorAll('.boot-order li')].map((li) => li.textContent)
    expect(boot).toEqual(['Disksda', 'Network interface52:54:00:e9:49:9c'])

    const disks = container.querySelectorAll('[data-testid=details-disks] tbody tr')
    expect([...disks].map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['Disk', 'vda', 'virtio', 'file /var/tmp/disk0.qcow2', 'qcow2', 'Read-write'],
      ['CD-ROM', 'sda', 'sata', 'No medium', '—', 'Read-only'],
    ])
    const nics = container.querySelectorAll('[data-testid=details-nics] tbody tr')
    expect([...nics].map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      [
        '52:54:00:e9:49:9c',
        'Virtual network',
        'virtdeck-isolated',
        'virtio',
        'vnet0',
        'Up',
        '192.168.100.7/24',
      ],
    ])
    expect(facts('details-displays')).toContain('VNC 127.0.0.1:5900')
    expect(facts('details-displays')).toContain('Serial port 0 · isa-serial · pty · /dev/pts/0')
    // The header offers the running VM's actions, without the list's restore and hint.
    const buttons = [...container.querySelectorAll('[role=toolbar] > button')].map(
      (b) => b.textContent,
    )
    expect(buttons).toContain('Shut down')
    expect(buttons).not.toContain('Start')
    expect(buttons).not.toContain('Restore from file…')
    expect(container.querySelector('[role=toolbar]')!.textContent).not.toContain('selected')
  })

  it('fetches the details again when the list reports a new state', async () => {
    const calls = fakeMain()
    await render()
    await eventually(() => expect(calls.get).toBe(1))
    await act(() => useVmsStore.setState({ byHost: { h: [summary('paused')] } }))
    await eventually(() => expect(calls.get).toBe(2))
    expect(container.querySelector('.vm-heading')?.textContent).toContain('Paused')
  })

  it('shows the live XML, then the persistent one, and selects it when copying is refused', async () => {
    const calls = fakeMain()
    await render()
    await eventually(() => expect(text()).toContain('pc-q35-7.2'))
    await act(() => tab('XML').click())
    expect(useUiStore.getState().detailsTab).toBe('xml')
    await eventually(() =>
      expect(container.querySelector('[data-testid=vm-xml]')?.textContent).toContain(
        '<name>uefi-guest</name>',
      ),
    )
    expect(container.querySelector('[data-testid=vm-xml]')?.textContent).toContain('live')
    const persistent = [...container.querySelectorAll('button')].find(
      (b) => b.textContent === 'Persistent definition',
    )!
    await act(() => persistent.click())
    await eventually(() =>
      expect(container.querySelector('[data-testid=vm-xml]')?.textContent).not.toContain('live'),
    )
    expect(calls.xml).toEqual([false, true])
    // jsdom has no clipboard: the XML gets selected for Ctrl+C instead.
    const copy = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Copy')!
    await act(async () => copy.click())
    await eventually(() => expect(text()).toContain('press Ctrl+C to copy it'))
    expect(getSelection()?.toString()).toContain('<name>uefi-guest</name>')
  })

  it('goes back to the host panel, and says so when the VM has gone', async () => {
    fakeMain()
    useUiStore.getState().openVm('h', UUID)
    await render()
    await act(() => useVmsStore.setState({ byHost: { h: [] } }))
    expect(text()).toContain('This virtual machine is no longer on the host.')
    const back = container.querySelector<HTMLButtonElement>('button.back')!
    expect(back.textContent).toBe('← Back to Test host')
    await act(() => back.click())
    expect(useUiStore.getState().openedVm).toBeUndefined()
  })
})
