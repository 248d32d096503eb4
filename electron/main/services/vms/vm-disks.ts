import {
  DomainXmlFlags,
  findVolumeByPath,
  getDomainXml,
  isNoDomain,
  isNotFound,
  volumePath,
  type CallOptions,
  type Connection,
  type DomainKind,
  type NonnullDomain,
  type VolumeFacts,
} from '@native'
import { diskKeys, domainStorage, type DomainDisk, type DomainStorage } from './domain-disks'

/** A disk with its host path worked out and, when a pool manages it, its volume. */
export interface ResolvedDisk extends DomainDisk {
  volume?: VolumeFacts
}

/**
 * A domain's disks and NVRAM from its live XML and, for a running persistent domain, also
 * from its persistent definition (a disk attached with --config only, or hot-plugged with
 * --live only, is in just one of them); the same disk twice is listed once.
 */
export async function domainDisks(
  conn: Connection,
  dom: NonnullDomain,
  kind: DomainKind,
  options?: CallOptions,
): Promise<DomainStorage> {
  const xmls = await Promise.all([
    getDomainXml(conn, dom, options),
    ...(kind.active && kind.persistent
      ? [getDomainXml(conn, dom, { ...options, flags: DomainXmlFlags.INACTIVE })]
      : []),
  ])
  const seen = new Set<string>()
  const disks: DomainDisk[] = []
  let nvram: string | undefined
  for (const xml of xmls) {
    const storage = domainStorage(xml)
    nvram ??= storage.nvram
    for (const disk of storage.disks) {
      const key = `${disk.target}\0${disk.path ?? ''}\0${disk.poolVolume?.volume ?? ''}`
      if (seen.has(key)) continue
      seen.add(key)
      disks.push(disk)
    }
  }
  return { disks, ...(nvram !== undefined && { nvram }) }
}

/**
 * Works out each disk's host path (a type='volume' disk names its pool and volume instead)
 * and the storage volume at that path, all disks at once. A disk whose volume is gone or
 * whose pool is inactive simply has no volume.
 */
export async function resolveDisks(
  conn: Connection,
  disks: readonly DomainDisk[],
  options?: CallOptions,
): Promise<ResolvedDisk[]> {
  return Promise.all(
    disks.map(async (disk): Promise<ResolvedDisk> => {
      let path = disk.path
      if (path === undefined && disk.poolVolume) {
        const { pool, volume } = disk.poolVolume
        path = await volumePath(conn, pool, volume, options).catch((err: unknown) => {
          if (isNotFound(err)) return undefined
          throw err
        })
      }
      if (path === undefined) return disk
      const volume = await findVolumeByPath(conn, path, options)
      return { ...disk, path, ...(volume && { volume }) }
    }),
  )
}

/**
 * Which other domains of the host use which disks: every domain's XML but `except`'s,
 * fetched all at once (pipelined). Domains that vanish meanwhile are skipped.
 * @returns domain names by host path and by volumeKey
 */
export async function diskUsers(
  conn: Connection,
  except: string,
  options?: CallOptions,
): Promise<Map<string, string[]>> {
  const { domains } = await conn.remote.connectListAllDomains(
    { need_results: 1, flags: 0 },
    options,
  )
  const others = domains.filter((d) => d.name !== except)
  const xmls = await Promise.all(
    others.map((dom) =>
      getDomainXml(conn, dom, options).catch((err: unknown) => {
        if (isNoDomain(err)) return undefined
        throw err
      }),
    ),
  )
  const users = new Map<string, string[]>()
  xmls.forEach((xml, i) => {
    if (xml === undefined) return
    for (const key of new Set(diskKeys(xml))) {
      users.set(key, [...(users.get(key) ?? []), others[i]!.name])
    }
  })
  return users
}
