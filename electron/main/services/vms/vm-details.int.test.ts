import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isNoDomain } from '@native'
import type { ServiceImpl } from '@common/contract/define'
import type { vmDetails } from '@common/contract/vm-details'
import { ConnectionManager } from '../hosts/connection-manager'
import { libvirtConnector } from '../hosts/connector'
import { createVmDetailsService } from './vm-details'
import { HostNotConnectedError } from './vms-service'

/** A scratch VM of this test only: persistent, autostart on, two NICs on the test network. */
const NAME = `vdk-details-${process.pid}`
const virsh = (...args: string[]) =>
  execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  })
const quietly = (fn: () => unknown) => {
  try {
    fn()
  } catch {
    // already in that state
  }
}

let manager: ConnectionManager
let service: ServiceImpl<typeof vmDetails.spec>
let uuid: string
const signal = () => AbortSignal.timeout(20_000)

beforeAll(async () => {
  const file = join(tmpdir(), `${NAME}.xml`)
  writeFileSync(
    file,
    `<domain type='qemu'><name>${NAME}</name><description>scratch &amp; details</description>
      <memory unit='MiB'>96</memory><currentMemory unit='MiB'>64</currentMemory>
      <vcpu current='1'>2</vcpu><os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>
      <devices>
        <interface type='network'><mac address='52:54:00:de:7a:01'/>
          <source network='virtdeck-isolated'/><model type='virtio'/></interface>
        <interface type='bridge'><mac address='52:54:00:de:7a:02'/>
          <source bridge='virbr-vdk'/><model type='e1000'/><link state='down'/></interface>
        <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
      </devices></domain>`,
  )
  virsh('define', file)
  rmSync(file)
  virsh('autostart', NAME)
  uuid = virsh('domuuid', NAME).trim()
  manager = new ConnectionManager(libvirtConnector)
  service = createVmDetailsService(manager)
  manager.add('sys', 'qemu:///system')
  await manager.whenConnected('sys')
})

afterAll(() => {
  manager?.dispose()
  quietly(() => virsh('destroy', NAME))
  quietly(() => virsh('undefine', NAME))
})

describe('vmDetails service against the system daemon', () => {
  it('describes a shut-off VM from its XML and the daemon’s flags', async () => {
    const d = await service.get({ hostId: 'sys', uuid }, { signal: signal() })
    expect(d).toMatchObject({
      hostId: 'sys',
      name: NAME,
      uuid,
      description: 'scratch & details',
      state: 'shutoff',
      persistent: true,
      autostart: true,
      domainType: 'qemu',
      arch: 'x86_64',
      vcpus: { current: 1, max: 2 },
      memoryKiB: 96 * 1024,
      currentMemoryKiB: 64 * 1024,
      firmware: { kind: 'bios', secureBoot: false },
      bootOrder: [{ device: 'hd' }],
      graphics: [{ type: 'vnc', autoport: true, listen: '127.0.0.1' }],
    })
    expect(d.machine).toMatch(/^pc-i440fx-/)
    expect(d.nics.map((n) => [n.mac, n.type, n.source, n.linkUp, n.targetDev])).toEqual([
      ['52:54:00:de:7a:01', 'network', 'virtdeck-isolated', true, undefined],
      ['52:54:00:de:7a:02', 'bridge', 'virbr-vdk', false, undefined],
    ])
  })

  it('describes it running: tap devices, VNC port, and no addresses without failing', async () => {
    virsh('start', NAME)
    const d = await service.get({ hostId: 'sys', uuid }, { signal: signal() })
    expect(d.state).toBe('running')
    expect(d.graphics[0]?.port).toBeGreaterThanOrEqual(5900)
    for (const nic of d.nics) {
      expect(nic.targetDev).toMatch(/^vnet\d+$/)
      // No DHCP server, no guest agent and an unreadable ARP table here: quietly none.
      expect(nic.addresses).toEqual([])
    }
  })

  it('gives the live XML and, when asked, the persistent one', async () => {
    const live = await service.xml({ hostId: 'sys', uuid }, { signal: signal() })
    const inactive = await service.xml(
      { hostId: 'sys', uuid, inactive: true },
      { signal: signal() },
    )
    expect(live).toContain(`<name>${NAME}</name>`)
    expect(live).toMatch(/<domain type='qemu' id='\d+'>/)
    expect(live).toContain("<target dev='vnet")
    expect(inactive).toContain(`<name>${NAME}</name>`)
    expect(inactive).toContain("<domain type='qemu'>")
    expect(inactive).not.toContain("<target dev='vnet")
  })

  it('fails with the daemon’s no-domain error for an unknown UUID', async () => {
    const unknown = '00000000-0000-4000-8000-00000000dead'
    const err: unknown = await service
      .get({ hostId: 'sys', uuid: unknown }, { signal: signal() })
      .catch((e: unknown) => e)
    expect(isNoDomain(err)).toBe(true)
  })

  it('refuses a host that is not connected', async () => {
    await expect(service.get({ hostId: 'nope', uuid }, { signal: signal() })).rejects.toThrow(
      HostNotConnectedError,
    )
  })
})
