/**
 * libvirt connection URIs, as virsh accepts them:
 *
 *   driver[+transport]://[user@][host][:port]/[path][?param=value&...]
 *
 * e.g. qemu:///system, qemu+ssh://root@server/system?keyfile=~/.ssh/id,
 * test+unix:///tmp/host.xml, qemu+tls://host.example:16514/system?no_verify=1.
 */

import { fillTemplate, URI_PROBLEMS, type UriProblem, type UriProblemValues } from './uri-problems'

/** Transports libvirt's remote driver knows. */
export const TRANSPORTS = ['unix', 'tcp', 'tls', 'ssh', 'libssh', 'libssh2', 'ext'] as const
/** One of libvirt's remote transports. */
export type Transport = (typeof TRANSPORTS)[number]

/** Hypervisor drivers a libvirt daemon can serve. */
export const DRIVERS = [
  'qemu',
  'test',
  'lxc',
  'xen',
  'libxl',
  'vbox',
  'vmwareplayer',
  'vmwarews',
  'vmwarefusion',
  'esx',
  'gsx',
  'vpx',
  'hyperv',
  'bhyve',
  'ch',
  'vz',
  'openvz',
] as const

/** Query parameters the remote driver understands (others are refused). */
const KNOWN_PARAMS = new Set([
  'name',
  'command',
  'socket',
  'netcat',
  'keyfile',
  'no_verify',
  'no_tty',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'sshauth',
  'mode',
  'proxy',
  'tls_priority',
  'root',
])

/** Query parameters that only steer the client side and are not passed to the daemon. */
const CLIENT_ONLY_PARAMS = new Set([
  'name',
  'command',
  'socket',
  'netcat',
  'keyfile',
  'no_verify',
  'no_tty',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'sshauth',
  'mode',
  'proxy',
  'tls_priority',
])

/** Default TCP ports of libvirtd. */
export const DEFAULT_PORTS: Partial<Record<Transport, number>> = { tcp: 16509, tls: 16514, ssh: 22 }

/** A parsed libvirt URI. */
export interface LibvirtUri {
  /** The text as given. */
  readonly raw: string
  /** Hypervisor driver: qemu, test, lxc ... */
  readonly driver: string
  /** Transport to reach the daemon; unix when there is no host, tls when there is one. */
  readonly transport: Transport
  /** Whether the transport was written in the URI (qemu+ssh) or implied (qemu). */
  readonly transportExplicit: boolean
  readonly user?: string
  readonly host?: string
  readonly port?: number
  /** The path part: /system, /session, /ABS/host.xml for the test driver ... */
  readonly path: string
  /** Query parameters, decoded. */
  readonly params: Readonly<Record<string, string>>
  /** The name the daemon receives in CONNECT_OPEN. */
  readonly daemonName: string
  /** True when the daemon is on this machine (unix transport, no host). */
  readonly isLocal: boolean
  /** system, session, or undefined for drivers without scopes. */
  readonly scope?: 'system' | 'session'
}

/** A URI libvirt would not accept, with what is wrong and how to write it instead. */
export class UriError extends Error {
  override readonly name = 'UriError'
  readonly code = 'invalid-uri'
  /** The reason and the values its explanation names, for a UI to word in its language. */
  readonly details: { reason: UriProblem; values: UriProblemValues }

  constructor(reason: UriProblem, values: UriProblemValues = {}) {
    super(fillTemplate(URI_PROBLEMS[reason], values))
    this.details = { reason, values }
  }
}

/** Parameters that take one of a few words. */
const CHOICE_PARAMS: [string, string[]][] = [
  ['mode', ['auto', 'legacy', 'direct']],
  ['proxy', ['auto', 'netcat', 'native']],
]

const SCHEME = /^([a-z][a-z0-9]*)(?:\+([a-z0-9]+))?:\/\/(.*)$/i

/** Parses a libvirt URI, or throws UriError explaining what is wrong. */
export function parseLibvirtUri(input: string): LibvirtUri {
  const raw = input.trim()
  if (raw === '') throw new UriError('empty')
  if (/\s/.test(raw)) throw new UriError('spaces')
  const scheme = SCHEME.exec(raw)
  if (!scheme) throw new UriError('notAUri', { uri: raw })
  const driver = scheme[1]!.toLowerCase()
  const transportText = scheme[2]?.toLowerCase()
  const rest = scheme[3]!
  if (!(DRIVERS as readonly string[]).includes(driver)) {
    throw new UriError('unknownDriver', { driver, known: DRIVERS.join(', ') })
  }
  if (transportText !== undefined && !(TRANSPORTS as readonly string[]).includes(transportText)) {
    throw new UriError('unknownTransport', {
      transport: transportText,
      known: TRANSPORTS.join(', '),
    })
  }

  const [beforeQuery = '', query] = splitOnce(rest, '?')
  const slash = beforeQuery.indexOf('/')
  const authority = slash === -1 ? beforeQuery : beforeQuery.slice(0, slash)
  const path = slash === -1 ? '/' : beforeQuery.slice(slash)
  const { user, host, port } = parseAuthority(authority)
  const params = parseQuery(query)

  const transport = (transportText ?? (host ? 'tls' : 'unix')) as Transport
  checkTransport(transport, host, params)
  const scope = scopeOf(driver, path)
  const daemonName = params.name ?? buildDaemonName(driver, path, params)

  return {
    raw,
    driver,
    transport,
    transportExplicit: transportText !== undefined,
    ...(user !== undefined && { user }),
    ...(host !== undefined && { host }),
    ...(port !== undefined && { port }),
    path: decodeURIComponent(path),
    params,
    daemonName,
    isLocal: transport === 'unix' && host === undefined,
    ...(scope !== undefined && { scope }),
  }
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep)
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
}

function parseAuthority(authority: string): { user?: string; host?: string; port?: number } {
  if (authority === '') return {}
  const at = authority.lastIndexOf('@')
  const user = at === -1 ? undefined : decodeURIComponent(authority.slice(0, at))
  const hostPort = at === -1 ? authority : authority.slice(at + 1)
  if (user === '') throw new UriError('emptyUser')
  let host: string
  let portText: string | undefined
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']')
    if (close === -1) throw new UriError('unclosedIpv6')
    host = hostPort.slice(1, close)
    const after = hostPort.slice(close + 1)
    if (after !== '' && !after.startsWith(':')) {
      throw new UriError('afterIpv6', { text: after })
    }
    portText = after === '' ? undefined : after.slice(1)
  } else {
    const colon = hostPort.lastIndexOf(':')
    host = colon === -1 ? hostPort : hostPort.slice(0, colon)
    portText = colon === -1 ? undefined : hostPort.slice(colon + 1)
  }
  if (host === '' && (user !== undefined || portText !== undefined)) {
    throw new UriError('missingHost')
  }
  if (host !== '' && !/^[A-Za-z0-9.\-_:%]+$/.test(host)) {
    throw new UriError('badHost', { host })
  }
  let port: number | undefined
  if (portText !== undefined) {
    port = Number(portText)
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      throw new UriError('badPort', { port: portText })
    }
  }
  return {
    ...(user !== undefined && { user }),
    ...(host !== '' && { host }),
    ...(port !== undefined && { port }),
  }
}

function parseQuery(query: string | undefined): Record<string, string> {
  const params: Record<string, string> = {}
  if (!query) return params
  for (const part of query.split('&')) {
    if (part === '') continue
    const [key = '', value = ''] = splitOnce(part, '=')
    const name = decodeURIComponent(key)
    if (!KNOWN_PARAMS.has(name)) {
      throw new UriError('unknownParam', { name, known: [...KNOWN_PARAMS].sort().join(', ') })
    }
    params[name] = decodeURIComponent(value.replace(/\+/g, ' '))
  }
  return params
}

function checkTransport(
  transport: Transport,
  host: string | undefined,
  params: Record<string, string>,
): void {
  const needsHost = transport === 'tcp' || transport === 'tls' || transport.includes('ssh')
  if (needsHost && !host) {
    throw new UriError('needsHost', { transport })
  }
  if (transport === 'unix' && host) {
    throw new UriError('unixWithHost', { host })
  }
  if (transport === 'ext' && !params.command) {
    throw new UriError('extNeedsCommand')
  }
  for (const flag of ['no_verify', 'no_tty', 'known_hosts_verify'] as const) {
    const value = params[flag]
    if (value !== undefined && !['0', '1', 'normal', 'auto', 'ignore'].includes(value)) {
      throw new UriError('badFlag', { name: flag, value })
    }
  }
  for (const [name, choices] of CHOICE_PARAMS) {
    const value = params[name]
    if (value !== undefined && !choices.includes(value)) {
      throw new UriError('badChoice', { name, value, known: choices.join(', ') })
    }
  }
}

function scopeOf(driver: string, path: string): 'system' | 'session' | undefined {
  if (driver !== 'qemu' && driver !== 'lxc' && driver !== 'vbox' && driver !== 'bhyve') {
    return undefined
  }
  if (path === '/system') return 'system'
  if (path === '/session') return 'session'
  if (driver === 'qemu' && path !== '/embed') {
    throw new UriError('qemuPath', { path })
  }
  return undefined
}

/** The URI the daemon sees: driver, path and the daemon-side parameters, no transport. */
function buildDaemonName(driver: string, path: string, params: Record<string, string>): string {
  const serverParams = Object.entries(params).filter(([k]) => !CLIENT_ONLY_PARAMS.has(k))
  const query = serverParams
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
  return `${driver}://${path}${query ? `?${query}` : ''}`
}
