import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VmList } from '@common/contract/vms'
import { ConnectionManager } from '../hosts/connection-manager'
import { libvirtConnector } from '../hosts/connector'
import { VmLists } from './vm-lists'

const NAME = `vdk-list-${process.pid}`
const DEFINED = `vdk-list-defined-${process.pid}`
const virsh = (...args: string[]) =>
  execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  })

let manager: ConnectionManager
let lists: VmLists
const seen: VmList[] = []

/** Resolves with the first pushed list that satisfies `match`. */
function until(match: (l: VmList) => boolean, ms = 10_000): Promise<VmList> {
  const found = seen.find(match)
  if (found) return Promise.resolve(found)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching list in time')), ms)
    const sub = lists.onChanged((l) => {
      if (!match(l)) return
      clearTimeout(timer)
      sub.dispose()
      resolve(l)
    })
  })
}

beforeAll(() => {
  manager = new ConnectionManager(libvirtConnector)
  lists = new VmLists(manager)
  lists.onChanged((l) => seen.push(l))
  manager.add('sys', 'qemu:///system')
})

afterAll(() => {
  for (const args of [
    ['destroy', NAME],
    ['undefine', DEFINED],
  ]) {
    try {
      virsh(...args)
    } catch {
      // already gone
    }
  }
  lists.dispose()
  manager.dispose()
})

describe('VM lists driven by lifecycle events', () => {
  it('lists the host’s VMs once connected', async () => {
    const list = await until((l) => l.vms.length > 0)
    const names = list.vms.map((v) => v.name)
    expect(names).toEqual(expect.arrayContaining(['virtdeck-vnc', 'virtdeck-linux']))
    const virshNames = virsh('list', '--all', '--name').split('\n').filter(Boolean)
    expect([...names].sort()).toEqual(virshNames.sort())
    // Sorted by name, in natural order, as the UI shows it by default.
    const collator = new Intl.Collator(undefined, { numeric: true })
    expect(names).toEqual([...names].sort(collator.compare))
  })

  it('shows a VM started and destroyed outside the app within 2 s', async () => {
    const xml = `<domain type='qemu'><name>${NAME}</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>`
    const file = join(tmpdir(), `${NAME}.xml`)
    writeFileSync(file, xml)
    virsh('create', file)
    rmSync(file)
    const started = Date.now() // virsh returns once the VM runs
    const running = await until((l) => l.vms.some((v) => v.name === NAME && v.state === 'running'))
    expect(Date.now() - started).toBeLessThan(2000)
    expect(running.vms.find((v) => v.name === NAME)?.id).toBeGreaterThan(0)
    virsh('destroy', NAME)
    seen.length = 0
    await until((l) => l.vms.length > 0 && !l.vms.some((v) => v.name === NAME))
  })

  it('shows a defined VM’s columns, and an autostart change after refresh (libvirt has no event)', async () => {
    const xml = `<domain type='qemu'><name>${DEFINED}</name><memory unit='MiB'>96</memory><vcpu>3</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`
    const file = join(tmpdir(), `${DEFINED}.xml`)
    writeFileSync(file, xml)
    virsh('define', file)
    rmSync(file)
    const defined = await until((l) => l.vms.some((v) => v.name === DEFINED))
    expect(defined.vms.find((v) => v.name === DEFINED)).toMatchObject({
      state: 'shutoff',
      vcpus: 3,
      memoryKiB: 96 * 1024,
      autostart: false,
      persistent: true,
    })
    virsh('autostart', DEFINED)
    await lists.refresh('sys')
    const vm = lists
      .lists()
      .find((l) => l.hostId === 'sys')
      ?.vms.find((v) => v.name === DEFINED)
    expect(vm?.autostart).toBe(true)
    virsh('undefine', DEFINED)
    await until((l) => l.vms.length > 0 && !l.vms.some((v) => v.name === DEFINED))
  })
})
