/**
 * A VM's serial ports and consoles from its domain XML (formatdomain "Consoles, serial,
 * parallel & channel devices"), and which of them libvirt can open as a console stream.
 *
 *   <serial type='pty'><source path='/dev/pts/0'/><target type='isa-serial' port='0'/>
 *     <alias name='serial0'/></serial>
 *   <console type='pty' tty='/dev/pts/0'><target type='serial' port='0'/>
 *     <alias name='serial0'/></console>        <- the same device as serial0
 *   <console type='pty'><target type='virtio' port='1'/><alias name='console1'/></console>
 */
import { XMLParser } from 'fast-xml-parser'
import type { SerialDevice } from '@common/contract/consoles'

const REPEATED = new Set(['domain.devices.serial', 'domain.devices.console'])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
})

type Node = Record<string, unknown>

const node = (v: unknown): Node => (typeof v === 'object' && v !== null ? (v as Node) : {})
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.map(node) : [])
const attr = (n: Node, name: string): string | undefined => {
  const v = n[`@${name}`]
  return v === undefined ? undefined : String(v)
}

function deviceOf(kind: SerialDevice['kind'], n: Node, running: boolean): SerialDevice {
  const type = attr(n, 'type') ?? 'pty'
  const target = node(n.target)
  const alias = attr(node(n.alias), 'name')
  const targetType = attr(target, 'type')
  const port = Number(attr(target, 'port'))
  // libvirt streams only pty devices (qemuDomainOpenConsole: "not using a PTY").
  const unavailable = !running ? 'not-running' : type !== 'pty' ? 'not-pty' : undefined
  return {
    kind,
    type,
    openable: unavailable === undefined && alias !== undefined,
    ...(alias !== undefined && running ? { alias } : {}),
    ...(targetType ? { targetType } : {}),
    ...(Number.isInteger(port) ? { port } : {}),
    ...(unavailable ? { unavailable } : {}),
  }
}

/**
 * The serial ports and consoles of a domain, serial ports first, each in XML order. A console
 * whose target is a serial port is that port seen twice (same alias, or the same port number
 * while shut off), so it is left out.
 * @param running whether the VM runs (only then can a console be opened)
 */
export function serialDevicesOf(xml: string, running: boolean): SerialDevice[] {
  const devices = node(node(node(parser.parse(xml)).domain).devices)
  const serials = nodes(devices.serial).map((s) => deviceOf('serial', s, running))
  const consoles = nodes(devices.console)
    .filter((c) => {
      const target = node(c.target)
      if ((attr(target, 'type') ?? 'serial') !== 'serial') return true
      const alias = attr(node(c.alias), 'name')
      const port = Number(attr(target, 'port') ?? 0)
      return !serials.some((s) =>
        alias !== undefined && s.alias !== undefined ? s.alias === alias : s.port === port,
      )
    })
    .map((c) => deviceOf('console', c, running))
  return [...serials, ...consoles]
}
