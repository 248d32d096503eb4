/**
 * Storage volumes by path: which pool manages a file or device (if any), its size, and
 * deleting it. Thin wrappers over the generated calls.
 */
import type { NonnullStoragePool, NonnullStorageVol } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import { isNoStorageVol } from '../rpc/errors'
import type { FlagOptions } from './domains'
import type { HasRemote } from './host'

/** A storage volume as found by path, with its pool and size. */
export interface VolumeFacts {
  /** The handle to pass to volume calls. */
  handle: NonnullStorageVol
  /** The pool that manages it. */
  pool: NonnullStoragePool
  /** virStorageVolType: 0 file, 1 block, 2 dir, 3 network, 4 netdir, 5 ploop. */
  type: number
  capacityBytes: number
  allocationBytes: number
}

/**
 * The volume at `path` if a storage pool manages it (STORAGE_VOL_LOOKUP_BY_PATH), with its
 * pool (STORAGE_POOL_LOOKUP_BY_VOLUME) and size (STORAGE_VOL_GET_INFO), the last two sent
 * together; `null` when no active pool has a volume there.
 */
export async function findVolumeByPath(
  conn: HasRemote,
  path: string,
  options?: CallOptions,
): Promise<VolumeFacts | null> {
  let handle: NonnullStorageVol
  try {
    handle = (await conn.remote.storageVolLookupByPath({ path }, options)).vol
  } catch (err) {
    if (isNoStorageVol(err)) return null
    throw err
  }
  const [pool, info] = await Promise.all([
    conn.remote.storagePoolLookupByVolume({ vol: handle }, options),
    conn.remote.storageVolGetInfo({ vol: handle }, options),
  ])
  return {
    handle,
    pool: pool.pool,
    type: info.type,
    capacityBytes: Number(info.capacity),
    allocationBytes: Number(info.allocation),
  }
}

/** The path of a volume named in a pool (STORAGE_VOL_LOOKUP_BY_NAME, STORAGE_VOL_GET_PATH). */
export async function volumePath(
  conn: HasRemote,
  pool: string,
  name: string,
  options?: CallOptions,
): Promise<string> {
  const { pool: p } = await conn.remote.storagePoolLookupByName({ name: pool }, options)
  const { vol } = await conn.remote.storageVolLookupByName({ pool: p, name }, options)
  return (await conn.remote.storageVolGetPath({ vol }, options)).name
}

/**
 * Deletes a volume and its data (STORAGE_VOL_DELETE).
 * @param options.flags StorageVolDeleteFlags: ZEROED, WITH_SNAPSHOTS; 0 = plain delete
 */
export async function deleteVolume(
  conn: HasRemote,
  vol: NonnullStorageVol,
  options: FlagOptions = {},
): Promise<void> {
  await conn.remote.storageVolDelete({ vol, flags: options.flags ?? 0 }, options)
}
