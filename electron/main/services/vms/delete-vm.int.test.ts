import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import {
  connectUri,
  createTransientDomain,
  defineDomain,
  lookupDomain,
  startDomain,
  type Connection,
} from '@native'
import { readTestHost } from '../../../../e2e/fixtures/test-host'
import { buildDeletePlan } from './delete-plan'
import { DeleteRefusedError, deleteVm } from './delete-vm'

const host = readTestHost()
const POOL = host.pool.name
const virsh = (...args: string[]) =>
  execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  })
const exists = (...args: string[]) => {
  try {
    virsh(...args)
    return true
  } catch {
    return false
  }
}

/** A name no other test uses. */
const uniqueName = (tag: string) => `vdk-${tag}-${process.pid}-${randomBytes(3).toString('hex')}`
const vm = uniqueName('del')
const other = uniqueName('del-other')
const uefi = [uniqueName('del-uefi'), uniqueName('del-uefi-keep')]
const transient = uniqueName('del-transient')
const own = `${vm}-own.qcow2`
const shared = `${vm}-shared.qcow2`
const iso = `${vm}-cd.raw`
const busyDir = `${vm}-busy-dir`
const path = (volume: string) => join(host.pool.path, volume)

let conn: Connection

/** Defines a small TCG VM with these disks (each: XML of one <disk>). */
async function define(name: string, disks: string[]): Promise<string> {
  const xml =
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64'>hvm</type></os><devices>${disks.join('')}</devices></domain>`
  return (await defineDomain(conn, xml)).uuid
}
/** Where libvirt puts a UEFI VM's variable store by default. */
const nvramOf = (name: string) => `/var/lib/libvirt/qemu/nvram/${name}_VARS.fd`

/** Destroys and undefines a VM, whatever its state (or absence). */
const removeDomain = (name: string) => {
  for (const args of [
    ['destroy', name],
    ['undefine', name, '--snapshots-metadata'],
  ]) {
    try {
      virsh(...args)
    } catch {
      // not running, or gone
    }
  }
}
const qcow2 = (volume: string, target: string) =>
  `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>` +
  `<source file='${path(volume)}'/><target dev='${target}' bus='virtio'/></disk>`

beforeAll(async () => {
  conn = await connectUri('qemu:///system')
  for (const v of [own, shared]) virsh('vol-create-as', POOL, v, '1M', '--format', 'qcow2')
  virsh('vol-create-as', POOL, iso, '1M', '--format', 'raw')
})

afterAll(async () => {
  for (const name of [vm, other, transient, ...uefi]) removeDomain(name)
  for (const name of uefi) rmSync(nvramOf(name), { force: true })
  for (const v of [own, shared, iso]) rmSync(path(v), { force: true })
  rmSync(path(busyDir), { recursive: true, force: true })
  virsh('pool-refresh', POOL)
  await conn?.close()
})

describe('deleting a VM (system daemon)', () => {
  it('plans and deletes a VM with a snapshot, deleting only the chosen volume', async () => {
    const cdrom =
      `<disk type='file' device='cdrom'><source file='${path(iso)}'/>` +
      `<target dev='hdc' bus='ide'/><readonly/></disk>`
    const uuid = await define(vm, [qcow2(own, 'vda'), qcow2(shared, 'vdb'), cdrom])
    await define(other, [qcow2(shared, 'vda')])
    // An internal snapshot of the shut-off VM (qemu-img writes it into the qcow2 volumes).
    virsh('snapshot-create-as', vm, 'before-delete')

    const plan = await buildDeletePlan(conn, uuid)
    expect(plan).toMatchObject({
      name: vm,
      active: false,
      persistent: true,
      snapshots: 1,
      managedSave: false,
    })
    expect(plan.nvram).toBeUndefined()
    const byTarget = Object.fromEntries(plan.disks.map((d) => [d.target, d]))
    expect(byTarget.vda).toMatchObject({
      path: path(own),
      device: 'disk',
      volume: { pool: POOL, name: own, capacityBytes: 1024 * 1024 },
      usedBy: [],
      suggested: true,
    })
    expect(byTarget.vdb).toMatchObject({ usedBy: [other], suggested: false })
    expect(byTarget.hdc).toMatchObject({ device: 'cdrom', readonly: true, suggested: false })

    const result = await deleteVm(conn, uuid, { volumes: [path(own)] })
    expect(result).toEqual({ deleted: [path(own)], failed: [] })
    expect(exists('dominfo', vm)).toBe(false)
    expect(exists('vol-info', '--pool', POOL, own)).toBe(false)
    expect(exists('vol-info', '--pool', POOL, shared)).toBe(true)
    expect(exists('vol-info', '--pool', POOL, iso)).toBe(true)
  })

  it('refuses paths that are not the VM’s own volumes, before changing anything', async () => {
    const { uuid } = await lookupDomain(conn, other)
    await expect(deleteVm(conn, uuid, { volumes: ['/etc/hostname'] })).rejects.toBeInstanceOf(
      DeleteRefusedError,
    )
    await expect(deleteVm(conn, uuid, { volumes: [path(iso)] })).rejects.toThrow(path(iso))
    expect(exists('dominfo', other)).toBe(true)
    expect(exists('vol-info', '--pool', POOL, shared)).toBe(true)
  })

  it('forces off a running VM, and reports a volume libvirt cannot delete without losing the rest', async () => {
    // A pool "volume" that is a non-empty directory: the daemon's rmdir fails.
    mkdirSync(join(path(busyDir), 'inside'), { recursive: true })
    writeFileSync(join(path(busyDir), 'inside', 'file'), 'x')
    virsh('pool-refresh', POOL)
    removeDomain(other)
    const dirDisk = `<disk type='file' device='disk'><source file='${path(busyDir)}'/><target dev='vdb' bus='virtio'/></disk>`
    const uuid = await define(other, [qcow2(shared, 'vda'), dirDisk])
    const { handle } = await lookupDomain(conn, uuid)
    // Start it without the directory disk, which QEMU could not open.
    virsh('detach-disk', other, 'vdb', '--config')
    await startDomain(conn, handle)
    virsh('attach-disk', other, path(busyDir), 'vdb', '--config')
    expect((await buildDeletePlan(conn, uuid)).active).toBe(true)

    const result = await deleteVm(conn, uuid, { volumes: [path(shared), path(busyDir)] })
    expect(result.deleted).toEqual([path(shared)])
    expect(result.failed).toEqual([
      { path: path(busyDir), message: expect.stringMatching(/not empty/) },
    ])
    expect(exists('dominfo', other)).toBe(false)
    expect(exists('vol-info', '--pool', POOL, shared)).toBe(false)
  })

  it('deletes a UEFI VM’s variable store with it, or keeps it when asked', async () => {
    // Stand-in firmware files: nothing boots, and the host needs no OVMF package.
    const firmware = mkdtempSync(join(tmpdir(), 'vdk-del-fw-'))
    const code = join(firmware, 'CODE.fd')
    const vars = join(firmware, 'VARS.fd')
    for (const file of [code, vars]) writeFileSync(file, Buffer.alloc(4096))
    for (const [i, name] of uefi.entries()) {
      const xml =
        `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory>` +
        `<os><type arch='x86_64'>hvm</type>` +
        `<loader readonly='yes' type='pflash'>${code}</loader>` +
        `<nvram template='${vars}'/></os><features><acpi/></features></domain>`
      const { uuid } = await defineDomain(conn, xml)
      const plan = await buildDeletePlan(conn, uuid)
      expect(plan.nvram).toBe(nvramOf(name))
      // libvirt makes the file at the first start; make it now instead (no guest needed).
      mkdirSync(dirname(nvramOf(name)), { recursive: true })
      copyFileSync(vars, nvramOf(name))
      const keepNvram = i === 1
      await deleteVm(conn, uuid, { volumes: [], keepNvram })
      expect(exists('dominfo', name)).toBe(false)
      expect(existsSync(nvramOf(name))).toBe(keepNvram)
    }
    rmSync(firmware, { recursive: true })
  })

  it('deletes a running transient VM by forcing it off (it has no definition)', async () => {
    const xml =
      `<domain type='qemu'><name>${transient}</name><memory unit='MiB'>64</memory>` +
      `<os><type arch='x86_64'>hvm</type></os></domain>`
    const { uuid } = await createTransientDomain(conn, xml)
    expect(await buildDeletePlan(conn, uuid)).toMatchObject({ active: true, persistent: false })
    expect(await deleteVm(conn, uuid, { volumes: [] })).toEqual({ deleted: [], failed: [] })
    expect(exists('dominfo', transient)).toBe(false)
  })
})
