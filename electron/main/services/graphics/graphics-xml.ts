/**
 * Reads a domain's displays from its XML (formatdomain "Graphical framebuffers"):
 *
 *   <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1' passwd='...'>
 *     <listen type='address' address='127.0.0.1'/>
 *   </graphics>
 *   <graphics type='vnc' socket='/run/.../vnc.sock'><listen type='socket' socket='...'/></graphics>
 *   <graphics type='spice' port='5901' tlsPort='5902' autoport='yes'>...</graphics>
 *
 * `passwd` is only in the XML fetched with VIR_DOMAIN_XML_SECURE. Pure: no I/O.
 */
import { XMLParser } from 'fast-xml-parser'
import type { GraphicsDevice, GraphicsListen } from '@common/contract/graphics'

/** A display as main sees it: the contract's device plus the password itself. */
export interface GraphicsDeviceXml extends GraphicsDevice {
  /** The password from `passwd` (only in SECURE XML). */
  password?: string
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, jpath) =>
    jpath === 'domain.devices.graphics' || jpath === 'domain.devices.graphics.listen',
})

type Node = Record<string, unknown>

const node = (v: unknown): Node => (typeof v === 'object' && v !== null ? (v as Node) : {})
const nodes = (v: unknown): Node[] =>
  Array.isArray(v) ? v.map(node) : v === undefined ? [] : [node(v)]
const attr = (n: Node, name: string): string | undefined => {
  const v = n[`@${name}`]
  return v === undefined ? undefined : String(v)
}
/** A port attribute; -1 (pick at start) and junk count as none. */
const portOf = (value: string | undefined): number | undefined => {
  const n = Number(value)
  return value !== undefined && Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined
}

const LISTEN_TYPES = new Set<GraphicsListen['type']>(['address', 'network', 'socket', 'none'])

function listenOf(l: Node): GraphicsListen | undefined {
  const type = attr(l, 'type') as GraphicsListen['type'] | undefined
  if (!type || !LISTEN_TYPES.has(type)) return undefined
  const address = attr(l, 'address')
  const network = attr(l, 'network')
  const socket = attr(l, 'socket')
  return {
    type,
    ...(address && { address }),
    ...(network && { network }),
    ...(socket && { socket }),
  }
}

/**
 * The listens of a display: the `<listen>` children, else the legacy attributes
 * (`socket=` for VNC, `listen=` for an address). libvirt writes both forms for a running VM;
 * the children are the complete one.
 */
function listensOf(g: Node): GraphicsListen[] {
  const children = nodes(g.listen)
    .map(listenOf)
    .filter((l): l is GraphicsListen => l !== undefined)
  if (children.length > 0) return children
  const socket = attr(g, 'socket')
  if (socket) return [{ type: 'socket', socket }]
  const listen = attr(g, 'listen')
  if (listen) return [{ type: 'address', address: listen }]
  return []
}

function deviceOf(g: Node): GraphicsDeviceXml {
  const port = portOf(attr(g, 'port'))
  const tlsPort = portOf(attr(g, 'tlsPort'))
  const password = attr(g, 'passwd')
  return {
    type: attr(g, 'type') ?? '',
    ...(port !== undefined && { port }),
    ...(tlsPort !== undefined && { tlsPort }),
    autoport: attr(g, 'autoport') === 'yes',
    listens: listensOf(g),
    hasPassword: password !== undefined && password !== '',
    ...(password && { password }),
  }
}

/** Every `<graphics>` of a domain XML, in document order. */
export function parseGraphics(xml: string): GraphicsDeviceXml[] {
  const doc = node(parser.parse(xml))
  const devices = node(node(doc.domain).devices)
  return nodes(devices.graphics).map(deviceOf)
}

/** The device as the page may see it: without the password. */
export function publicDevice(device: GraphicsDeviceXml): GraphicsDevice {
  const { password: _password, ...rest } = device
  return rest
}
