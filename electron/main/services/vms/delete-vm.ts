import {
  deleteVolume,
  destroyDomain,
  DomainUndefineFlags,
  getDomainKind,
  isOperationInvalid,
  lookupDomain,
  undefineDomain,
  type CallOptions,
  type Connection,
  type VolumeFacts,
} from '@native'
import type { DeleteResult } from '@common/contract/vms'
import { domainDisks, resolveDisks } from './vm-disks'

/** A delete that was refused before anything changed (a path that is not the VM's volume). */
export class DeleteRefusedError extends Error {
  override readonly name = 'DeleteRefusedError'
  readonly code = 'delete-refused'
}

/** What to delete besides the VM. */
export interface DeleteVmOptions extends CallOptions {
  /** Paths of the VM's own disks' pool volumes. */
  volumes: readonly string[]
  /** Keep the UEFI variable store file (default: delete it with the VM). */
  keepNvram?: boolean
}

/** The undefine flags of a delete: everything that belongs to the VM goes with it. */
export function undefineFlags(keepNvram: boolean): number {
  return (
    DomainUndefineFlags.MANAGED_SAVE |
    DomainUndefineFlags.SNAPSHOTS_METADATA |
    DomainUndefineFlags.CHECKPOINTS_METADATA |
    (keepNvram ? DomainUndefineFlags.KEEP_NVRAM : DomainUndefineFlags.NVRAM)
  )
}

/**
 * Deletes a VM: checks first that every path to delete is a pool volume of one of its own
 * disks (nothing else can be deleted this way), forces it off if it runs, undefines it
 * with its managed save, snapshot and checkpoint metadata and NVRAM, then deletes the
 * volumes one by one. A volume that fails does not stop the others and does not throw:
 * the VM is gone by then, so the result says which volumes were left and why.
 * @throws DeleteRefusedError before any change, for a path that is not the VM's volume
 */
export async function deleteVm(
  conn: Connection,
  uuid: string,
  options: DeleteVmOptions,
): Promise<DeleteResult> {
  const { handle } = await lookupDomain(conn, uuid, options)
  const kind = await getDomainKind(conn, handle, options)
  const storage = await domainDisks(conn, handle, kind, options)
  const wanted = new Set(options.volumes)
  const disks = await resolveDisks(
    conn,
    storage.disks.filter((d) => d.path === undefined || wanted.has(d.path)),
    options,
  )
  const volumes = new Map<string, VolumeFacts>()
  for (const disk of disks) {
    if (disk.path !== undefined && disk.volume && wanted.has(disk.path)) {
      volumes.set(disk.path, disk.volume)
    }
  }
  const strangers = [...wanted].filter((path) => !volumes.has(path))
  if (strangers.length > 0) {
    throw new DeleteRefusedError(
      `Not a storage volume of this VM's disks, so not deleted: ${strangers.join(', ')}`,
    )
  }

  if (kind.active) {
    await destroyDomain(conn, handle, options).catch((err: unknown) => {
      if (!isOperationInvalid(err)) throw err // it stopped meanwhile
    })
  }
  if (kind.persistent) {
    await undefineDomain(conn, handle, { ...options, flags: undefineFlags(!!options.keepNvram) })
  }

  const result: DeleteResult = { deleted: [], failed: [] }
  for (const [path, volume] of volumes) {
    try {
      await deleteVolume(conn, volume.handle, options)
      result.deleted.push(path)
    } catch (err) {
      result.failed.push({ path, message: (err as Error).message })
    }
  }
  return result
}
