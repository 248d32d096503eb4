/**
 * `connectUri('qemu+ssh://root@host/system')`: parse the URI, plan the transport, open it,
 * then run the usual open sequence ({@link connect}) with the daemon-side name.
 *
 *   const conn = await connectUri('qemu+ssh://root@server/system', {
 *     ssh: { hostKeyPolicy: askTheUser, password: askForPassword },
 *   })
 */
import { hostKeyPolicies, type HostKeyPolicy } from '../transport/host-key'
import type { SocketEnvironment } from '../transport/socket-paths'
import { SshSession, type SshSessionOptions } from '../transport/ssh'
import { expandHome } from '../transport/ssh-auth'
import type { SshVia } from '../transport/ssh-routes'
import { connectTcp } from '../transport/tcp'
import { connectTls, type TlsConnectOptions } from '../transport/tls'
import type { RpcTransport } from '../transport/transport'
import { connectUnix } from '../transport/unix'
import type { LibvirtUri } from '../transport/uri'
import { planConnection, type ConnectionPlan, type SshPlan } from './connection-plan'
import { connect, type Connection, type ConnectOptions } from './connection'

/** SSH settings of {@link connectUri} (host, port and user come from the URI). */
export interface SshConnectOptions extends Omit<
  SshSessionOptions,
  'host' | 'port' | 'user' | 'timeoutMs' | 'signal'
> {
  /**
   * An open session to the same `user@host:port` to carry this connection too (it stays
   * open when the connection closes). Without it a session is opened for this connection
   * alone and ended when the connection closes.
   */
  session?: SshSession
  /** Force these routes to the daemon, in this order (default: the URI's proxy= rules). */
  via?: readonly SshVia[]
}

/** Options of {@link connectUri}. */
export interface ConnectUriOptions extends Omit<
  ConnectOptions,
  'socketPath' | 'transport' | 'name' | 'uri'
> {
  /** SSH credentials, known_hosts and host key policy. */
  ssh?: SshConnectOptions
  /** TLS certificate files, instead of libvirt's search rules. */
  tls?: Pick<TlsConnectOptions, 'files' | 'pkiEnvironment'>
  /** Where local sockets are looked for (tests). */
  socketEnvironment?: SocketEnvironment
}

/**
 * Opens a libvirt connection from a URI. `timeoutMs` applies to opening the transport and
 * again to the open sequence; time spent waiting for the host key policy or a password
 * prompt does not count.
 * @throws UriError, TransportError, TlsConfigError, SshConnectError, SshAuthError,
 *   HostKeyMismatchError, HostKeyUnknownError, and what {@link connect} throws (with a SASL
 *   daemon, the URI's user is the default SASL user name)
 */
export async function connectUri(
  uri: string | LibvirtUri,
  options: ConnectUriOptions = {},
): Promise<Connection> {
  const plan = planConnection(uri, {
    ...(options.readOnly !== undefined && { readOnly: options.readOnly }),
    ...(options.socketEnvironment && { socketEnvironment: options.socketEnvironment }),
    ...(options.ssh?.via && { sshVia: options.ssh.via }),
  })
  const transport = await openTransport(plan, options)
  const { ssh: _ssh, tls: _tls, socketEnvironment: _env, ...rest } = options
  return connect({
    ...(plan.uri.user !== undefined && { defaultUsername: plan.uri.user }),
    uri: plan.uri.raw,
    ...rest,
    transport,
    name: plan.name,
    readOnly: plan.readOnly,
  })
}

/** Opens the byte stream a plan describes. */
export async function openTransport(
  plan: ConnectionPlan,
  options: ConnectUriOptions = {},
): Promise<RpcTransport> {
  const t = {
    ...(options.signal && { signal: options.signal }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  }
  switch (plan.transport) {
    case 'unix':
      return connectUnix(plan.socketPath, t)
    case 'tcp':
      return connectTcp(plan.host, plan.port, t)
    case 'tls':
      return connectTls(plan.host, plan.port, {
        ...t,
        ...options.tls,
        ...(plan.pkipath && { pkipath: plan.pkipath }),
        noVerify: plan.noVerify,
      })
    case 'ssh':
      return openSshTransport(plan, options)
  }
}

async function openSshTransport(plan: SshPlan, options: ConnectUriOptions): Promise<RpcTransport> {
  const { session: shared, via: _via, ...ssh } = options.ssh ?? {}
  const channelOptions = {
    ...(options.signal && { signal: options.signal }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  }
  if (shared) {
    const target = `${plan.user ?? shared.target.split('@')[0]}@${plan.host}:${plan.port}`
    if (shared.target !== target) {
      throw new TypeError(`connectUri: the SSH session goes to ${shared.target}, not ${target}`)
    }
    return (await shared.openDaemonChannel(plan.routes, channelOptions)).transport
  }
  let policy: HostKeyPolicy | undefined = ssh.hostKeyPolicy
  if (plan.unknownHostKey === 'accept-once') policy = hostKeyPolicies.acceptOnce
  if (plan.unknownHostKey === 'accept-and-save') policy = hostKeyPolicies.acceptAndSave
  const session = await SshSession.open({
    ...ssh,
    ...channelOptions,
    host: plan.host,
    port: plan.port,
    ...(plan.user !== undefined && { user: plan.user }),
    privateKeyFiles: [...plan.keyFiles, ...(ssh.privateKeyFiles ?? [])],
    ...(plan.knownHostsFile !== undefined && { knownHostsFile: expandHome(plan.knownHostsFile) }),
    ...(policy && { hostKeyPolicy: policy }),
    ...(plan.authOrder && { order: plan.authOrder }),
  })
  try {
    return (await session.openDaemonChannel(plan.routes, channelOptions)).transport
  } finally {
    session.closeWhenIdle()
  }
}
