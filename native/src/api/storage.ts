/**
 * Storage pools and the volumes in them, listed with the fields people look at. Every
 * per-item call of a list is sent at once (pipelined), so a list costs two round trips
 * however long it is. A volume by path: findVolumeByPath (volumes.ts).
 */
import type { NonnullStoragePool, NonnullStorageVol } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import { isNoStoragePool, isNoStorageVol } from '../rpc/errors'
import { formatUuid, parseUuid } from './format'
import type { HasRemote } from './host'

/** virStoragePoolState, libvirt-storage.h. */
export const StoragePoolState = {
  INACTIVE: 0,
  BUILDING: 1,
  RUNNING: 2,
  DEGRADED: 3,
  INACCESSIBLE: 4,
} as const

/** virStorageVolType, libvirt-storage.h. */
export const StorageVolType = {
  FILE: 0,
  BLOCK: 1,
  DIR: 2,
  NETWORK: 3,
  NETDIR: 4,
  PLOOP: 5,
} as const

/** A storage pool with its state and sizes. */
export interface StoragePoolSummary {
  name: string
  /** Text form; the stable key of a pool. */
  uuid: string
  /** The handle to pass to pool calls. */
  handle: NonnullStoragePool
  /** virStoragePoolState, see {@link StoragePoolState}. */
  state: number
  /** Its name: RUNNING, INACTIVE ... (`UNKNOWN(n)` for a value this client does not know). */
  stateName: string
  /** Size of the pool's storage in bytes (0 while inactive). */
  capacityBytes: number
  /** Bytes in use. */
  allocationBytes: number
  /** Bytes free for new volumes. */
  availableBytes: number
}

/** A storage volume with where it lives and its sizes. */
export interface VolumeSummary {
  name: string
  /** The pool's name. */
  pool: string
  /** Its path on the host (a file, device or network name, per pool type). */
  path: string
  /** libvirt's unique key (for a file in a dir pool: its path). */
  key: string
  /** virStorageVolType, see {@link StorageVolType}. */
  type: number
  /** Its name: FILE, BLOCK ... (`UNKNOWN(n)` for a value this client does not know). */
  typeName: string
  /** The size a guest sees, in bytes. */
  capacityBytes: number
  /** Bytes the host really stores (a sparse file: less than its capacity). */
  allocationBytes: number
  /** The handle to pass to volume calls. */
  handle: NonnullStorageVol
}

const name = (table: Record<string, number>, value: number): string =>
  Object.keys(table).find((k) => table[k] === value) ?? `UNKNOWN(${value})`

/**
 * Every storage pool (CONNECT_LIST_ALL_STORAGE_POOLS) with its state and sizes
 * (STORAGE_POOL_GET_INFO each). A pool removed in between is left out.
 * @param flags a ConnectListAllStoragePoolsFlags filter; 0 = all
 */
export async function listStoragePools(
  conn: HasRemote,
  flags = 0,
  options?: CallOptions,
): Promise<StoragePoolSummary[]> {
  const { pools } = await conn.remote.connectListAllStoragePools(
    { need_results: 1, flags },
    options,
  )
  const summaries = await Promise.all(
    pools.map((p) =>
      describeStoragePool(conn, p, options).catch((err: unknown) => {
        if (isNoStoragePool(err)) return null
        throw err
      }),
    ),
  )
  return summaries.filter((s) => s !== null)
}

/**
 * Finds a pool by UUID (text form) or name, with its state and sizes.
 * @throws VirtError VIR_ERR_NO_STORAGE_POOL (see isNoStoragePool) when there is none
 */
export async function lookupStoragePool(
  conn: HasRemote,
  nameOrUuid: string,
  options?: CallOptions,
): Promise<StoragePoolSummary> {
  let uuid: Uint8Array | null = null
  try {
    uuid = parseUuid(nameOrUuid)
  } catch {
    // not a UUID: a name
  }
  if (uuid) {
    try {
      const { pool } = await conn.remote.storagePoolLookupByUuid({ uuid }, options)
      return await describeStoragePool(conn, pool, options)
    } catch (err) {
      if (!isNoStoragePool(err)) throw err // a name can look like a UUID: try it as one
    }
  }
  const { pool } = await conn.remote.storagePoolLookupByName({ name: nameOrUuid }, options)
  return describeStoragePool(conn, pool, options)
}

/** A pool's state and sizes (STORAGE_POOL_GET_INFO). */
export async function describeStoragePool(
  conn: HasRemote,
  pool: NonnullStoragePool,
  options?: CallOptions,
): Promise<StoragePoolSummary> {
  const info = await conn.remote.storagePoolGetInfo({ pool }, options)
  return {
    name: pool.name,
    uuid: formatUuid(pool.uuid),
    handle: pool,
    state: info.state,
    stateName: name(StoragePoolState, info.state),
    capacityBytes: Number(info.capacity),
    allocationBytes: Number(info.allocation),
    availableBytes: Number(info.available),
  }
}

/**
 * Every volume of an active pool (STORAGE_POOL_LIST_ALL_VOLUMES) with its path and sizes.
 * A volume deleted in between is left out.
 * @param pool the pool's handle or name
 * @throws VirtError, e.g. VIR_ERR_OPERATION_INVALID for an inactive pool
 */
export async function listVolumes(
  conn: HasRemote,
  pool: NonnullStoragePool | string,
  options?: CallOptions,
): Promise<VolumeSummary[]> {
  const handle =
    typeof pool === 'string'
      ? (await conn.remote.storagePoolLookupByName({ name: pool }, options)).pool
      : pool
  const { vols } = await conn.remote.storagePoolListAllVolumes(
    { pool: handle, need_results: 1, flags: 0 },
    options,
  )
  const summaries = await Promise.all(
    vols.map((v) =>
      describeVolume(conn, v, options).catch((err: unknown) => {
        if (isNoStorageVol(err)) return null
        throw err
      }),
    ),
  )
  return summaries.filter((s) => s !== null).sort((a, b) => a.name.localeCompare(b.name))
}

/** A volume's path, type and sizes (STORAGE_VOL_GET_PATH and _GET_INFO, sent together). */
export async function describeVolume(
  conn: HasRemote,
  vol: NonnullStorageVol,
  options?: CallOptions,
): Promise<VolumeSummary> {
  const [path, info] = await Promise.all([
    conn.remote.storageVolGetPath({ vol }, options),
    conn.remote.storageVolGetInfo({ vol }, options),
  ])
  return {
    name: vol.name,
    pool: vol.pool,
    path: path.name,
    key: vol.key,
    type: info.type,
    typeName: name(StorageVolType, info.type),
    capacityBytes: Number(info.capacity),
    allocationBytes: Number(info.allocation),
    handle: vol,
  }
}
