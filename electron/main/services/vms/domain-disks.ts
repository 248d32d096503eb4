/** The storage a domain's XML names: what deleting it may remove (delete-plan.ts). */
import { attr, node, nodes, parseDomainTree, text, type XmlNode } from './domain-xml-tree'

/** A `<disk>` of a domain's XML, as the delete dialog needs it. */
export interface DomainDisk {
  /** `<target dev>`, e.g. vda. */
  target: string
  /** `device`: disk, cdrom, floppy or lun. */
  device: string
  /** `type`: file, block, volume, dir, network, nvme ... */
  type: string
  /** `<source file>` or `<source dev>` (or `dir`); absent for an empty drive or network. */
  path?: string
  /** `<source pool volume>` of a type='volume' disk: its path is the pool's business. */
  poolVolume?: { pool: string; volume: string }
  readonly: boolean
  shareable: boolean
}

/** The disks and firmware files of a domain's XML. */
export interface DomainStorage {
  disks: DomainDisk[]
  /** `<os><nvram>`: the UEFI variable store (libvirt 9 text form, or `<source file>`). */
  nvram?: string
}

/** An attribute with a value (an empty one counts as absent). */
const value = (n: XmlNode, name: string): string | undefined => attr(n, name) || undefined

/** Reads the disks (with their sources) and the NVRAM path from a domain's XML. */
export function domainStorage(xml: string): DomainStorage {
  const domain = parseDomainTree(xml)
  const disks = nodes(node(domain.devices).disk).map((disk): DomainDisk => {
    const source = node(disk.source)
    const path = value(source, 'file') ?? value(source, 'dev') ?? value(source, 'dir')
    const pool = value(source, 'pool')
    const volume = value(source, 'volume')
    return {
      target: value(node(disk.target), 'dev') ?? '',
      device: value(disk, 'device') ?? 'disk',
      type: value(disk, 'type') ?? 'file',
      ...(path !== undefined && { path }),
      ...(pool !== undefined && volume !== undefined && { poolVolume: { pool, volume } }),
      readonly: 'readonly' in disk,
      shareable: 'shareable' in disk,
    }
  })
  const nvramNode = node(domain.os).nvram
  const nvram = text(nvramNode).trim() || value(node(node(nvramNode).source), 'file')
  return { disks, ...(nvram !== undefined && { nvram }) }
}

/** How a disk names a pool volume in {@link diskKeys}: `volume:POOL/NAME`. */
export function volumeKey(pool: string, volume: string): string {
  return `volume:${pool}/${volume}`
}

/**
 * What a domain's disks point at: host paths, and {@link volumeKey}s for type='volume'
 * disks (for finding disks that several VMs share).
 */
export function diskKeys(xml: string): string[] {
  return domainStorage(xml).disks.flatMap((d) => [
    ...(d.path ? [d.path] : []),
    ...(d.poolVolume ? [volumeKey(d.poolVolume.pool, d.poolVolume.volume)] : []),
  ])
}
