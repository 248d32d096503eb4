import { XMLParser } from 'fast-xml-parser'

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

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, jpath) => String(jpath) === 'domain.devices.disk',
})

type Node = Record<string, unknown>
const node = (v: unknown): Node | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Node) : undefined
const attr = (n: Node | undefined, name: string): string | undefined => {
  const v = n?.[`@${name}`]
  return typeof v === 'string' && v !== '' ? v : undefined
}
const text = (v: unknown): string | undefined => {
  const t = typeof v === 'string' ? v : node(v)?.['#text']
  return typeof t === 'string' && t.trim() !== '' ? t.trim() : undefined
}

/** Reads the disks (with their sources) and the NVRAM path from a domain's XML. */
export function domainStorage(xml: string): DomainStorage {
  const domain = node((parser.parse(xml) as Node).domain) ?? {}
  const devices = node(domain.devices)
  const raw = Array.isArray(devices?.disk) ? (devices.disk as unknown[]) : []
  const disks = raw.map((d): DomainDisk => {
    const disk = node(d) ?? {}
    const source = node(disk.source)
    const path = attr(source, 'file') ?? attr(source, 'dev') ?? attr(source, 'dir')
    const pool = attr(source, 'pool')
    const volume = attr(source, 'volume')
    return {
      target: attr(node(disk.target), 'dev') ?? '',
      device: attr(disk, 'device') ?? 'disk',
      type: attr(disk, 'type') ?? 'file',
      ...(path !== undefined && { path }),
      ...(pool !== undefined && volume !== undefined && { poolVolume: { pool, volume } }),
      readonly: 'readonly' in disk,
      shareable: 'shareable' in disk,
    }
  })
  const nvramNode = node(domain.os)?.nvram
  const nvram = text(nvramNode) ?? attr(node(node(nvramNode)?.source), 'file')
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
