import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VmStatsTick } from '@common/contract/vms'
import { ConnectionManager } from '../hosts/connection-manager'
import { libvirtConnector } from '../hosts/connector'
import { StatsPoller } from './stats-poller'

const NAME = `vdk-stats-${process.pid}`
const virsh = (...args: string[]) =>
  execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  })

let manager: ConnectionManager
let poller: StatsPoller
let uuid: string

beforeAll(() => {
  const file = join(tmpdir(), `${NAME}.xml`)
  writeFileSync(
    file,
    `<domain type='qemu'><name>${NAME}</name><memory unit='MiB'>96</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`,
  )
  virsh('create', file)
  rmSync(file)
  uuid = virsh('domuuid', NAME).trim()
  manager = new ConnectionManager(libvirtConnector)
  poller = new StatsPoller(manager, 250)
  manager.add('sys', 'qemu:///system')
})

afterAll(() => {
  poller.dispose()
  manager.dispose()
  try {
    virsh('destroy', NAME)
  } catch {
    // gone already
  }
})

describe('StatsPoller against a running guest', () => {
  it('ticks with one bulk call per host and gives the running VM its rates', async () => {
    const ticks: VmStatsTick[] = []
    await new Promise<void>((resolve) => {
      const sub = poller.onTick((t) => {
        ticks.push(t)
        if (ticks.length === 3) {
          sub.dispose()
          resolve()
        }
      })
    })
    const last = ticks.at(-1)!
    expect(last.hostId).toBe('sys')
    const vm = last.vms.find((v) => v.uuid === uuid)
    expect(vm).toMatchObject({ vcpus: 1, memoryKiB: 96 * 1024 })
    expect(vm!.cpuPercent).toBeGreaterThanOrEqual(0)
    expect(vm!.cpuPercent).toBeLessThanOrEqual(100)
    expect(vm!.memoryUsedKiB).toBeGreaterThan(0)
    // Shut-off VMs are not in a tick (the ACTIVE filter).
    const shutOff = virsh('list', '--inactive', '--uuid').split('\n').filter(Boolean)
    expect(last.vms.some((v) => shutOff.includes(v.uuid))).toBe(false)
  })
})
