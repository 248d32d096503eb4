/**
 * Reads the facts the details view shows from a domain's XML (libvirt's formatdomain
 * schema). Only reads: elements this module does not know are ignored, and missing ones
 * fall back to libvirt's own defaults (device disk, vCPUs current = max ...).
 */
import type {
  VmBootEntry,
  VmConsole,
  VmDetails,
  VmDisk,
  VmFirmware,
  VmGraphics,
  VmNic,
} from '@common/contract/vm-details'
import { attr, node, nodes, parseDomainTree, text, type XmlNode as Node } from './domain-xml-tree'

/** What the XML alone tells; state, autostart, persistence and addresses come from calls. */
export type DomainXmlFacts = Omit<VmDetails, 'hostId' | 'state' | 'persistent' | 'autostart'>

/** An optional string field: present only when non-empty (exactOptionalPropertyTypes). */
const opt = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (value ? { [key]: value } : {}) as { [P in K]?: string }
const int = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value)
  return Number.isInteger(n) ? n : undefined
}

/** libvirt's memory units as multiples of a KiB (formatdomain "Memory Allocation"). */
const UNIT_KIB: Record<string, number> = {
  b: 1 / 1024,
  bytes: 1 / 1024,
  kb: 1000 / 1024,
  k: 1,
  kib: 1,
  mb: 1e6 / 1024,
  m: 1024,
  mib: 1024,
  gb: 1e9 / 1024,
  g: 1024 ** 2,
  gib: 1024 ** 2,
  tb: 1e12 / 1024,
  t: 1024 ** 3,
  tib: 1024 ** 3,
}

/** `<memory unit='MiB'>256</memory>` in KiB (the unit defaults to KiB). */
function memoryKiB(v: unknown): number | undefined {
  if (v === undefined) return undefined
  const factor = UNIT_KIB[(attr(node(v), 'unit') ?? 'KiB').toLowerCase()] ?? 1
  const amount = Number(text(v))
  return Number.isFinite(amount) ? Math.round(amount * factor) : undefined
}

/**
 * BIOS or UEFI: `<os firmware='efi'>` (auto-selected) or a pflash loader mean UEFI. Secure
 * boot is the loader's `secure='yes'` or the auto-selection feature `secure-boot`.
 */
function firmwareOf(os: Node): VmFirmware {
  const loader = os.loader
  const loaderNode = node(loader)
  const loaderType = attr(loaderNode, 'type')
  const features = nodes(node(os.firmware).feature)
  const secureFeature = features.some(
    (f) => attr(f, 'name') === 'secure-boot' && attr(f, 'enabled') === 'yes',
  )
  const uefi = attr(os, 'firmware') === 'efi' || loaderType === 'pflash'
  return {
    kind: uefi ? 'uefi' : 'bios',
    ...opt('loader', loader === undefined ? undefined : text(loader)),
    ...opt('loaderType', loaderType),
    secureBoot: attr(loaderNode, 'secure') === 'yes' || secureFeature,
    ...opt('nvram', os.nvram === undefined ? undefined : text(os.nvram)),
  }
}

/** A disk's source as one line: a path, a device, pool/volume or protocol://host/name. */
function diskSource(type: string, source: Node): string {
  switch (type) {
    case 'file':
      return attr(source, 'file') ?? ''
    case 'block':
      return attr(source, 'dev') ?? ''
    case 'dir':
      return attr(source, 'dir') ?? ''
    case 'volume': {
      const pool = attr(source, 'pool')
      const volume = attr(source, 'volume')
      return pool && volume ? `${pool}/${volume}` : (volume ?? '')
    }
    case 'network': {
      const host = nodes(source.host)[0]
      const where = host
        ? `${attr(host, 'name') ?? ''}${attr(host, 'port') ? `:${attr(host, 'port')}` : ''}`
        : ''
      const name = attr(source, 'name') ?? ''
      return `${attr(source, 'protocol') ?? 'network'}://${where}${name ? `/${name}` : ''}`
    }
    default:
      return attr(source, 'file') ?? attr(source, 'dev') ?? attr(source, 'path') ?? ''
  }
}

function diskOf(d: Node): VmDisk {
  const type = attr(d, 'type') ?? 'file'
  const target = node(d.target)
  return {
    device: attr(d, 'device') ?? 'disk',
    targetDev: attr(target, 'dev') ?? '',
    ...opt('bus', attr(target, 'bus')),
    sourceType: type,
    source: d.source === undefined ? '' : diskSource(type, node(d.source)),
    ...opt('format', attr(node(d.driver), 'type')),
    readOnly: 'readonly' in d,
  }
}

function nicOf(i: Node): VmNic {
  const source = node(i.source)
  return {
    mac: (attr(node(i.mac), 'address') ?? '').toLowerCase(),
    type: attr(i, 'type') ?? '',
    source:
      attr(source, 'network') ??
      attr(source, 'bridge') ??
      attr(source, 'dev') ??
      attr(source, 'path') ??
      '',
    ...opt('model', attr(node(i.model), 'type')),
    ...opt('targetDev', attr(node(i.target), 'dev')),
    linkUp: attr(node(i.link), 'state') !== 'down',
    addresses: [],
  }
}

function graphicsOf(g: Node): VmGraphics {
  const port = int(attr(g, 'port'))
  const listen = nodes(g.listen)[0]
  const where =
    attr(g, 'listen') ??
    (listen && (attr(listen, 'address') ?? attr(listen, 'socket') ?? attr(listen, 'network')))
  return {
    type: attr(g, 'type') ?? '',
    // -1 means "pick one at start"; a shut-off VM with autoport has no port yet.
    ...(port !== undefined && port >= 0 && { port }),
    autoport: attr(g, 'autoport') === 'yes',
    ...opt('listen', where),
  }
}

/** Where the host end of a character device is: a pty, a socket, host:port. */
function charSource(c: Node): string | undefined {
  const source = nodes(c.source)[0] ?? {}
  const host = attr(source, 'host')
  const service = attr(source, 'service')
  if (host !== undefined || service !== undefined) return `${host ?? ''}:${service ?? ''}`
  return attr(source, 'path') ?? attr(c, 'tty')
}

function consoleOf(kind: VmConsole['kind'], c: Node): VmConsole {
  const target = node(c.target)
  const port = int(attr(target, 'port'))
  return {
    kind,
    type: attr(c, 'type') ?? 'pty',
    ...opt('targetType', attr(target, 'type')),
    ...(port !== undefined && { port }),
    ...opt('source', charSource(c)),
  }
}

const OS_BOOT_DEVICES = new Set(['hd', 'cdrom', 'network', 'fd'])
/** A bootable disk's kind by its device: a CD-ROM boots as a CD-ROM. */
const DISK_BOOT_KINDS: Record<string, VmBootEntry['device']> = {
  disk: 'disk',
  lun: 'disk',
  cdrom: 'cdrom',
  floppy: 'fd',
}

/**
 * The boot order: devices with their own `<boot order='n'/>` win (libvirt refuses both
 * kinds together); otherwise the `<os><boot dev>` list.
 */
function bootOrderOf(os: Node, devices: Node): VmBootEntry[] {
  const ordered: { order: number; entry: VmBootEntry }[] = []
  const collect = (list: Node[], device: VmBootEntry['device'], target: (n: Node) => string) => {
    for (const n of list) {
      const order = int(attr(node(n.boot), 'order'))
      if (order !== undefined) ordered.push({ order, entry: { device, target: target(n) } })
    }
  }
  for (const d of nodes(devices.disk)) {
    const kind = DISK_BOOT_KINDS[attr(d, 'device') ?? 'disk'] ?? 'disk'
    collect([d], kind, (x) => attr(node(x.target), 'dev') ?? '')
  }
  collect(nodes(devices.interface), 'interface', (i) =>
    (attr(node(i.mac), 'address') ?? '').toLowerCase(),
  )
  collect(nodes(devices.hostdev), 'hostdev', (h) => attr(node(h.alias), 'name') ?? '')
  if (ordered.length > 0) return ordered.sort((a, b) => a.order - b.order).map((o) => o.entry)
  return nodes(os.boot).map((b) => {
    const dev = attr(b, 'dev') ?? ''
    return OS_BOOT_DEVICES.has(dev)
      ? { device: dev as VmBootEntry['device'] }
      : { device: 'other', target: dev }
  })
}

export { DomainXmlError } from './domain-xml-tree'

/**
 * Parses a domain's XML (live or inactive) into the details view's facts.
 * @throws DomainXmlError when it is not a domain's XML
 */
export function parseDomainXml(xml: string): DomainXmlFacts {
  const domain = parseDomainTree(xml)
  const os = node(domain.os)
  const osType = node(os.type)
  const devices = node(domain.devices)
  const vcpu = domain.vcpu
  const maxVcpus = int(text(vcpu)) ?? 1
  const memory = memoryKiB(domain.memory) ?? 0
  const kernel = os.kernel === undefined ? undefined : text(os.kernel)
  return {
    name: text(domain.name),
    uuid: text(domain.uuid),
    ...opt('title', domain.title === undefined ? undefined : text(domain.title)),
    ...opt('description', domain.description === undefined ? undefined : text(domain.description)),
    domainType: attr(domain, 'type') ?? '',
    osType: text(os.type),
    arch: attr(osType, 'arch') ?? '',
    machine: attr(osType, 'machine') ?? '',
    firmware: firmwareOf(os),
    ...(kernel && {
      kernel: {
        path: kernel,
        ...opt('initrd', os.initrd === undefined ? undefined : text(os.initrd)),
        ...opt('cmdline', os.cmdline === undefined ? undefined : text(os.cmdline)),
      },
    }),
    vcpus: { current: int(attr(node(vcpu), 'current')) ?? maxVcpus, max: maxVcpus },
    memoryKiB: memory,
    currentMemoryKiB: memoryKiB(domain.currentMemory) ?? memory,
    bootOrder: bootOrderOf(os, devices),
    disks: nodes(devices.disk).map(diskOf),
    nics: nodes(devices.interface).map(nicOf),
    graphics: nodes(devices.graphics).map(graphicsOf),
    consoles: [
      ...nodes(devices.serial).map((s) => consoleOf('serial', s)),
      ...nodes(devices.console).map((c) => consoleOf('console', c)),
    ],
  }
}
