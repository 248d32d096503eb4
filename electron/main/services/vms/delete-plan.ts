import {
  countSnapshots,
  getDomainKind,
  hasManagedSave,
  lookupDomain,
  type CallOptions,
  type Connection,
} from '@native'
import type { DeletableDisk, DeletePlan } from '@common/contract/vms'
import { volumeKey } from './domain-disks'
import { diskUsers, domainDisks, resolveDisks, type ResolvedDisk } from './vm-disks'

/**
 * Whether the delete dialog ticks a disk at first: only a writable, unshared disk (not a
 * CD-ROM or floppy) whose pool volume no other VM uses. Anything else may hold data other
 * VMs or the user still need, so deleting it takes a deliberate tick.
 */
export function suggestDeletion(disk: Omit<DeletableDisk, 'suggested'>): boolean {
  return (
    disk.device === 'disk' &&
    !disk.readonly &&
    !disk.shareable &&
    disk.volume !== undefined &&
    disk.usedBy.length === 0
  )
}

/** A resolved disk as the dialog lists it, with the other VMs that use it. */
export function toDeletableDisk(
  disk: ResolvedDisk,
  users: ReadonlyMap<string, readonly string[]>,
): DeletableDisk {
  const byPath = disk.path ? (users.get(disk.path) ?? []) : []
  const byVolume = disk.volume
    ? (users.get(volumeKey(disk.volume.pool.name, disk.volume.handle.name)) ?? [])
    : []
  const base: Omit<DeletableDisk, 'suggested'> = {
    target: disk.target,
    device: disk.device,
    ...(disk.path !== undefined && { path: disk.path }),
    readonly: disk.readonly,
    shareable: disk.shareable,
    ...(disk.volume && {
      volume: {
        pool: disk.volume.pool.name,
        name: disk.volume.handle.name,
        capacityBytes: disk.volume.capacityBytes,
      },
    }),
    usedBy: [...new Set([...byPath, ...byVolume])].sort(),
  }
  return { ...base, suggested: suggestDeletion(base) }
}

/**
 * What deleting a VM would remove: its disks (with pool volume, size and the other VMs
 * that use them), snapshot count, NVRAM file and managed save image, and whether it runs.
 * Reads only; the calls go out together where they do not depend on each other.
 */
export async function buildDeletePlan(
  conn: Connection,
  uuid: string,
  options?: CallOptions,
): Promise<DeletePlan> {
  const { handle, name } = await lookupDomain(conn, uuid, options)
  const [kind, snapshots, managedSave, users] = await Promise.all([
    getDomainKind(conn, handle, options),
    countSnapshots(conn, handle, options),
    hasManagedSave(conn, handle, options),
    diskUsers(conn, name, options),
  ])
  const storage = await domainDisks(conn, handle, kind, options)
  const disks = await resolveDisks(conn, storage.disks, options)
  return {
    name,
    active: kind.active,
    persistent: kind.persistent,
    disks: disks.map((d) => toDeletableDisk(d, users)),
    snapshots,
    ...(storage.nvram !== undefined && { nvram: storage.nvram }),
    managedSave,
  }
}
