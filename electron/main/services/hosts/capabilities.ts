import { XMLParser } from 'fast-xml-parser'

/** What the host page needs from libvirt's capabilities XML. */
export interface CapabilitySummary {
  arch: string
  cpuModel: string
  cpuVendor?: string
  /** Huge page pools larger than the smallest page size, summed over NUMA cells. */
  hugepages: { sizeKiB: number; count: number }[]
  /** Whether any guest architecture offers domain type kvm. */
  kvm: boolean
  /** Security drivers other than DAC (apparmor, selinux); empty when there is none. */
  securityDrivers: string[]
}

/** Elements that may repeat, by path: always parsed as arrays. */
const REPEATED = new Set([
  'capabilities.guest',
  'capabilities.guest.arch',
  'capabilities.guest.arch.domain',
  'capabilities.host.secmodel',
  'capabilities.host.cpu.pages',
  'capabilities.host.topology.cells.cell',
  'capabilities.host.topology.cells.cell.pages',
])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
})

type Node = Record<string, unknown>
const asNodes = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v ? [v as Node] : [])
const text = (v: unknown): string =>
  typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : String(v ?? '')

/** Reads the host CPU, huge pages, KVM availability and security drivers. */
export function summarizeCapabilities(xml: string): CapabilitySummary {
  const caps = (parser.parse(xml) as { capabilities?: Node }).capabilities ?? {}
  const host = (caps.host ?? {}) as Node
  const cpu = (host.cpu ?? {}) as Node
  const sizes = asNodes(cpu.pages).map((p) => Number(p['@size']))
  const base = Math.min(...sizes)
  const pools = new Map<number, number>()
  for (const cell of asNodes(
    ((host.topology as Node | undefined)?.cells as Node | undefined)?.cell,
  )) {
    for (const page of asNodes(cell.pages)) {
      const size = Number(page['@size'])
      if (size > base) pools.set(size, (pools.get(size) ?? 0) + Number(text(page)))
    }
  }
  const kvm = asNodes(caps.guest).some((g) =>
    asNodes(g.arch).some((a) => asNodes(a.domain).some((d) => d['@type'] === 'kvm')),
  )
  const securityDrivers = asNodes(host.secmodel)
    .map((m) => text(m.model))
    .filter((m) => m !== '' && m !== 'none' && m !== 'dac')
  const vendor = text(cpu.vendor)
  return {
    arch: text(cpu.arch),
    cpuModel: text(cpu.model),
    ...(vendor && { cpuVendor: vendor }),
    hugepages: [...pools].map(([sizeKiB, count]) => ({ sizeKiB, count })),
    kvm,
    securityDrivers,
  }
}
