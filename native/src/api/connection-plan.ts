/**
 * From a libvirt URI to a plan: which transport, where to, with which options, and the
 * name the daemon gets in CONNECT_OPEN. Pure (apart from checking which local sockets
 * exist), so the UI can show what a URI will do before connecting.
 */
import type { HostKeyDecision } from '../transport/host-key'
import { localSocketPath, type SocketEnvironment } from '../transport/socket-paths'
import type { SshAuthName } from '../transport/ssh-auth'
import { planSshRoutes, type SshRoute, type SshVia } from '../transport/ssh-routes'
import { DEFAULT_TCP_PORT } from '../transport/tcp'
import { DEFAULT_TLS_PORT } from '../transport/tls'
import { parseLibvirtUri, UriError, type LibvirtUri } from '../transport/uri'

interface PlanBase {
  /** The parsed URI. */
  uri: LibvirtUri
  /** The driver URI for CONNECT_OPEN (never with a transport or host). */
  name: string
  /** Open read-only (VIR_CONNECT_RO). */
  readOnly: boolean
  /** URI parameters this client does not act on, e.g. `command` (no ssh binary is run). */
  ignoredParams: string[]
}

/** A local unix socket. */
export interface UnixPlan extends PlanBase {
  transport: 'unix'
  socketPath: string
  /** Why that socket, e.g. `socket= parameter`, `mode=direct`. */
  why: string
}

/** Plain TCP (no encryption; only sensible on a trusted network). */
export interface TcpPlan extends PlanBase {
  transport: 'tcp'
  host: string
  port: number
}

/** TLS with libvirt's certificate files. */
export interface TlsPlan extends PlanBase {
  transport: 'tls'
  host: string
  port: number
  pkipath?: string
  noVerify: boolean
}

/** SSH (qemu+ssh, and the libssh/libssh2 variants, which behave the same here). */
export interface SshPlan extends PlanBase {
  transport: 'ssh'
  host: string
  port: number
  user?: string
  /** keyfile= */
  keyFiles: string[]
  /** known_hosts= */
  knownHostsFile?: string
  /**
   * What to do with an unknown host key when the URI says so (no_verify=1: accept once;
   * known_hosts_verify=auto: accept and save, =ignore: accept once); undefined = ask the
   * caller's policy. A changed key is refused whatever this says.
   */
  unknownHostKey?: Exclude<HostKeyDecision, 'reject'>
  /** sshauth= as an order of methods. */
  authOrder?: SshAuthName[]
  /** Ways to reach the daemon, in order. */
  routes: SshRoute[]
}

/** What {@link planConnection} decides. */
export type ConnectionPlan = UnixPlan | TcpPlan | TlsPlan | SshPlan

/** Options of {@link planConnection}. */
export interface PlanOptions {
  /** Read-only connection: the system -ro socket, and VIR_CONNECT_RO. */
  readOnly?: boolean
  /** Where local sockets are looked for (tests). */
  socketEnvironment?: SocketEnvironment
  /** Force these SSH routes, in this order. */
  sshVia?: readonly SshVia[]
}

const SSH_AUTH_NAMES: readonly SshAuthName[] = ['agent', 'privkey', 'password', 'keyboard']

/**
 * Plans a connection.
 * @throws UriError for a bad URI or one this client cannot serve (ext transport)
 */
export function planConnection(
  input: string | LibvirtUri,
  options: PlanOptions = {},
): ConnectionPlan {
  const uri = typeof input === 'string' ? parseLibvirtUri(input) : input
  const readOnly = options.readOnly ?? false
  const p = uri.params
  const base: PlanBase = { uri, name: uri.daemonName, readOnly, ignoredParams: [] }
  const ignore = (...names: string[]): void => {
    for (const n of names) if (p[n] !== undefined) base.ignoredParams.push(n)
  }
  switch (uri.transport) {
    case 'unix': {
      ignore(
        'command',
        'netcat',
        'keyfile',
        'no_verify',
        'no_tty',
        'pkipath',
        'known_hosts',
        'proxy',
      )
      const choice = localSocketPath(uri, readOnly, options.socketEnvironment)
      return { ...base, transport: 'unix', socketPath: choice.path, why: choice.why }
    }
    case 'tcp':
      ignore('command', 'keyfile', 'pkipath', 'no_verify')
      return { ...base, transport: 'tcp', host: uri.host!, port: uri.port ?? DEFAULT_TCP_PORT }
    case 'tls':
      ignore('command', 'keyfile', 'tls_priority')
      return {
        ...base,
        transport: 'tls',
        host: uri.host!,
        port: uri.port ?? DEFAULT_TLS_PORT,
        ...(p.pkipath && { pkipath: p.pkipath }),
        noVerify: p.no_verify === '1',
      }
    case 'ssh':
    case 'libssh':
    case 'libssh2':
      return planSsh(uri, base, options)
    case 'ext':
      throw new UriError('extUnsupported')
  }
}

function planSsh(uri: LibvirtUri, base: PlanBase, options: PlanOptions): SshPlan {
  const p = uri.params
  for (const n of ['command', 'no_tty', 'pkipath', 'tls_priority']) {
    if (p[n] !== undefined) base.ignoredParams.push(n)
  }
  let unknownHostKey: SshPlan['unknownHostKey']
  if (p.no_verify === '1' || p.known_hosts_verify === 'ignore') unknownHostKey = 'accept-once'
  else if (p.known_hosts_verify === 'auto') unknownHostKey = 'accept-and-save'
  let authOrder: SshAuthName[] | undefined
  if (p.sshauth !== undefined) {
    authOrder = p.sshauth.split(',').map((s) => s.trim()) as SshAuthName[]
    const bad = authOrder.filter((a) => !SSH_AUTH_NAMES.includes(a))
    if (bad.length > 0 || authOrder.length === 0) {
      throw new UriError('badSshAuth', { known: SSH_AUTH_NAMES.join(', '), value: p.sshauth })
    }
  }
  return {
    ...base,
    transport: 'ssh',
    host: uri.host!,
    port: uri.port ?? 22,
    ...(uri.user !== undefined && { user: uri.user }),
    keyFiles: p.keyfile ? [p.keyfile] : [],
    ...(p.known_hosts && { knownHostsFile: p.known_hosts }),
    ...(unknownHostKey && { unknownHostKey }),
    ...(authOrder && { authOrder }),
    routes: planSshRoutes(uri, base.readOnly, options.sshVia),
  }
}
