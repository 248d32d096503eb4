/**
 * The one parser of domain XML in main: fast-xml-parser with attributes as `@name`, every
 * value kept a string, and the elements that may repeat always arrays. The readers
 * (domain-xml.ts for the details view, domain-disks.ts for deletion) walk its tree with
 * the helpers here.
 */
import { XMLParser } from 'fast-xml-parser'

/** An element: attributes as `@name`, text as `#text`, children by tag. */
export type XmlNode = Record<string, unknown>

/** Elements that may repeat, by path: always parsed as arrays. */
const REPEATED = new Set(
  [
    'os.boot',
    'os.firmware.feature',
    'devices.disk',
    'devices.interface',
    'devices.hostdev',
    'devices.graphics',
    'devices.graphics.listen',
    'devices.serial',
    'devices.console',
    'devices.disk.source.host',
  ].map((p) => `domain.${p}`),
)

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Keep every value a string: a VM named "007" stays "007".
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
})

/** The XML is not a domain definition. */
export class DomainXmlError extends Error {
  override readonly name = 'DomainXmlError'
}

/**
 * The `<domain>` element of a domain's XML.
 * @throws DomainXmlError when there is none
 */
export function parseDomainTree(xml: string): XmlNode {
  const root = (parser.parse(xml) as { domain?: unknown }).domain
  if (root === undefined) throw new DomainXmlError('The XML has no <domain> element.')
  return node(root)
}

/** The element itself, or an empty one for text or nothing. */
export const node = (v: unknown): XmlNode =>
  typeof v === 'object' && v !== null ? (v as XmlNode) : {}

/** A repeated element as a list (none, one or many). */
export const nodes = (v: unknown): XmlNode[] =>
  Array.isArray(v) ? v.map(node) : v === undefined ? [] : [node(v)]

/** An element's text, whether or not it has attributes. */
export const text = (v: unknown): string =>
  typeof v === 'object' && v !== null ? String((v as XmlNode)['#text'] ?? '') : String(v ?? '')

/** An attribute's value (possibly empty), or undefined when absent. */
export const attr = (n: XmlNode, name: string): string | undefined => {
  const v = n[`@${name}`]
  return v === undefined ? undefined : String(v)
}
