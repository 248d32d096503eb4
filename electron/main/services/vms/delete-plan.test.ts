import { describe, expect, it } from 'vitest'
import { DomainUndefineFlags } from '@native'
import { suggestDeletion, toDeletableDisk } from './delete-plan'
import { undefineFlags } from './delete-vm'
import { volumeKey } from './domain-disks'
import type { ResolvedDisk } from './vm-disks'

const volume = {
  handle: { pool: 'default', name: 'web.qcow2', key: '/pool/web.qcow2' },
  pool: { name: 'default', uuid: new Uint8Array(16) },
  type: 0,
  capacityBytes: 10 * 2 ** 30,
  allocationBytes: 2 ** 30,
}
const disk: ResolvedDisk = {
  target: 'vda',
  device: 'disk',
  type: 'file',
  path: '/pool/web.qcow2',
  readonly: false,
  shareable: false,
  volume,
}

describe('which disks the delete dialog ticks at first', () => {
  it('ticks a writable pool volume that only this VM uses', () => {
    expect(toDeletableDisk(disk, new Map())).toEqual({
      target: 'vda',
      device: 'disk',
      path: '/pool/web.qcow2',
      readonly: false,
      shareable: false,
      volume: { pool: 'default', name: 'web.qcow2', capacityBytes: 10 * 2 ** 30 },
      usedBy: [],
      suggested: true,
    })
  })

  it('leaves shared, read-only, CD-ROM and non-pool disks unticked', () => {
    const users = new Map([['/pool/web.qcow2', ['db']]])
    expect(toDeletableDisk(disk, users)).toMatchObject({ usedBy: ['db'], suggested: false })
    const byVolume = new Map([[volumeKey('default', 'web.qcow2'), ['cache', 'api']]])
    expect(toDeletableDisk(disk, byVolume)).toMatchObject({
      usedBy: ['api', 'cache'],
      suggested: false,
    })
    const base = toDeletableDisk(disk, new Map())
    expect(suggestDeletion({ ...base, readonly: true })).toBe(false)
    expect(suggestDeletion({ ...base, shareable: true })).toBe(false)
    expect(suggestDeletion({ ...base, device: 'cdrom' })).toBe(false)
    const { volume: _none, ...plainFile } = disk
    expect(toDeletableDisk(plainFile, new Map())).toMatchObject({ suggested: false })
    expect(toDeletableDisk(plainFile, new Map()).volume).toBeUndefined()
  })
})

describe('undefineFlags', () => {
  it('removes managed save, snapshot and checkpoint metadata, and NVRAM unless kept', () => {
    const common =
      DomainUndefineFlags.MANAGED_SAVE |
      DomainUndefineFlags.SNAPSHOTS_METADATA |
      DomainUndefineFlags.CHECKPOINTS_METADATA
    expect(undefineFlags(false)).toBe(common | DomainUndefineFlags.NVRAM)
    expect(undefineFlags(true)).toBe(common | DomainUndefineFlags.KEEP_NVRAM)
  })
})
