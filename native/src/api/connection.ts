/**
 * Opening, using and closing one connection to a libvirt daemon.
 *
 * Open sequence (protocol README section 6): transport, AUTH_LIST and the chosen auth
 * method, then CONNECT_OPEN. CONNECT_SUPPORTS_FEATURE(10), which switches on the daemon's
 * pings (we answer them from the reader), goes with our first keepalive check, or with
 * CONNECT_OPEN when our own pings are off.
 */
import { DomainState, RpcFeature } from '../protocol/generated/flags.gen'
import { LxcCalls } from '../protocol/generated/lxc-calls.gen'
import { QemuCalls } from '../protocol/generated/qemu-calls.gen'
import { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import type { NonnullDomain } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import { RpcClient } from '../rpc/client'
import type { ConnectionLostError } from '../rpc/errors'
import { Keepalive, type KeepaliveOptions } from '../rpc/keepalive'
import type { CredentialsSource } from '../sasl/credentials'
import { connectUnix } from '../transport/unix'
import type { RpcTransport } from '../transport/transport'
import { Listeners, type Disposable } from '../util/disposable'
import { authenticate, type AuthMethod, type AuthResult } from './auth'
import { EventHub } from './events'
import { formatUuid, formatVersion } from './format'

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Path of the daemon's unix socket, e.g. /var/run/libvirt/libvirt-sock. */
  socketPath?: string
  /** An already connected transport (SSH channel, TLS socket, tests); wins over socketPath. */
  transport?: RpcTransport
  /**
   * The driver URI for CONNECT_OPEN as the *daemon* should see it: `qemu:///system`,
   * `test:///ABS/PATH.xml`, or '' to let the daemon choose. Never a client-side URI with a
   * transport or host (the daemon would try to connect onwards). Default ''.
   */
  name?: string
  /** Ask for a read-only connection (VIR_CONNECT_RO). The -ro socket is read-only anyway. */
  readOnly?: boolean
  /**
   * Keepalive settings (default: ping after 5 s of silence, give up after 5 unanswered).
   * The daemon is asked to ping us too (CONNECT_SUPPORTS_FEATURE 10) unless this is false;
   * `{ intervalMs: 0 }` keeps the daemon's pings but sends none of ours. PINGs that arrive
   * are always answered.
   */
  keepalive?: KeepaliveOptions | false
  /** Deadline for the whole open (transport, auth, open) in ms. Default 30 s. */
  timeoutMs?: number
  /** Aborting gives up on the open. */
  signal?: AbortSignal
  /** Deadline applied to every later call that has none of its own. Default: none. */
  callTimeoutMs?: number
  /**
   * Username and password for a daemon that wants a SASL login, or a callback asked for
   * them once the daemon has said so (time spent in it does not count against timeoutMs).
   * Without it such a daemon gives AuthCredentialsRequiredError. Never logged.
   */
  credentials?: CredentialsSource
  /**
   * SASL user name when the credentials name none (connectUri: the URI's user).
   * Default: the local user's name.
   */
  defaultUsername?: string
  /** The URI being opened, shown to a credentials callback (connectUri sets it). */
  uri?: string
}

/** A domain as listed: its handle plus the fields people look at. */
export interface DomainSummary {
  name: string
  /** Text form, e.g. c3190a18-9219-4740-be63-44d76b670f16; the stable key of a domain. */
  uuid: string
  /** Running domains' id; -1 when inactive (it changes on every start). */
  id: number
  /** The handle to pass to domain calls. */
  handle: NonnullDomain
}

/** A domain's state from DOMAIN_GET_STATE. */
export interface DomainStateInfo {
  /** virDomainState, see {@link DomainState}. */
  state: number
  /** Its name: RUNNING, SHUTOFF ... (`UNKNOWN(n)` for a value this client does not know). */
  stateName: string
  /** Why it is in that state; the meaning depends on `state` (libvirt-domain.h). */
  reason: number
}

const DEFAULT_OPEN_TIMEOUT_MS = 30_000
const CLOSE_TIMEOUT_MS = 5_000
const STATE_NAMES = new Map(Object.entries(DomainState).map(([k, v]) => [v as number, k]))

/**
 * Connects, authenticates and opens a driver.
 * @throws TransportError, AuthUnsupportedError, VirtError, RpcTimeoutError, the SASL errors
 *   (SaslMechanismUnsupportedError, AuthCredentialsRequiredError, AuthRefusedError,
 *   SaslProtocolError), or the abort reason
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  const { signal } = options
  let deadline = Date.now() + (options.timeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS)
  const callOptions = (): CallOptions => {
    const o: CallOptions = { timeoutMs: Math.max(1, deadline - Date.now()) }
    if (signal) o.signal = signal
    return o
  }
  let transport = options.transport
  if (!transport) {
    if (!options.socketPath) throw new TypeError('connect: give socketPath or transport')
    transport = await connectUnix(options.socketPath, callOptions())
  }
  const conn = new Connection(transport, options)
  try {
    const auth = await authenticate(conn.remote, callOptions, {
      target: transport.description,
      ...(options.defaultUsername !== undefined && { defaultUsername: options.defaultUsername }),
      ...(options.credentials && { credentials: options.credentials }),
      ...(options.uri !== undefined && { uri: options.uri }),
      ...(signal && { signal }),
      onWaited: (ms) => (deadline += ms),
    })
    const open = conn.remote.connectOpen(
      { name: options.name ?? '', flags: options.readOnly ? 1 : 0 },
      callOptions(),
    )
    if (options.keepalive !== false && !conn.keepaliveNegotiatesLater) {
      await Promise.all([open, conn.askDaemonToPing(callOptions())])
    } else {
      await open
    }
    conn.setAuthMethod(auth)
    return conn
  } catch (err) {
    conn.dispose()
    throw err
  }
}

/** One open connection. Dispose (or close) to release its socket, timers and listeners. */
export class Connection implements Disposable {
  /** Every remote procedure as a typed method: `conn.remote.connectGetHostname()`. */
  readonly remote: RemoteCalls
  /** The qemu program (monitor and agent passthrough). */
  readonly qemu: QemuCalls
  /** The lxc program. */
  readonly lxc: LxcCalls
  /** The RPC engine, for events and streams built on top. */
  readonly rpc: RpcClient
  /** Event subscriptions, e.g. `conn.events.onDomainLifecycle(...)` (api/events.ts). */
  readonly events: EventHub
  private auth: AuthResult = { method: 'none' }
  private readonly keepalive: Keepalive
  private readonly closeListeners = new Listeners<[ConnectionLostError | undefined]>()
  private readonly subs: Disposable[] = []
  private closing = false

  /** Use {@link connect}; this wires an already connected transport. */
  constructor(
    readonly transport: RpcTransport,
    options: Pick<ConnectOptions, 'keepalive' | 'callTimeoutMs'> = {},
  ) {
    const rpcOptions: ConstructorParameters<typeof RpcClient>[0] = {
      write: (b) => transport.write(b),
      destroy: (cause) => transport.destroy(cause),
    }
    if (options.callTimeoutMs !== undefined) rpcOptions.defaultTimeoutMs = options.callTimeoutMs
    this.rpc = new RpcClient(rpcOptions)
    this.keepalive = new Keepalive(
      this.rpc,
      options.keepalive === false ? { intervalMs: 0 } : options.keepalive,
      options.keepalive === false ? undefined : () => this.askDaemonToPing(),
    )
    this.remote = new RemoteCalls(this.rpc)
    this.qemu = new QemuCalls(this.rpc)
    this.lxc = new LxcCalls(this.rpc)
    this.events = new EventHub(this.rpc, this.remote)
    this.subs.push(
      transport.onData((chunk) => this.rpc.receive(chunk)),
      transport.onClose((reason, cause) => this.rpc.connectionLost(reason, cause)),
      this.rpc.onClose((err) => {
        this.release()
        this.closeListeners.fire(this.closing ? undefined : err)
        this.closeListeners.clear()
      }),
    )
  }

  /** Whether our keepalive asks the daemon for its pings at its first check (see Keepalive). */
  get keepaliveNegotiatesLater(): boolean {
    return this.keepalive.active
  }

  /** CONNECT_SUPPORTS_FEATURE(10): the daemon pings us from now on, and drops us if we go silent. */
  askDaemonToPing(options?: CallOptions): Promise<unknown> {
    return this.remote.connectSupportsFeature({ feature: RpcFeature.PROGRAM_KEEPALIVE }, options)
  }

  /** How the connection authenticated (known once {@link connect} has resolved). */
  get authMethod(): AuthMethod {
    return this.auth.method
  }

  /** The SASL mechanism and user name, when the connection logged in with SASL. */
  get saslLogin(): { mechanism: string; username: string } | undefined {
    const { mechanism, username } = this.auth
    return mechanism !== undefined && username !== undefined ? { mechanism, username } : undefined
  }

  /** Records how the connection authenticated (called by {@link connect}). */
  setAuthMethod(auth: AuthMethod | AuthResult): void {
    this.auth = typeof auth === 'string' ? { method: auth } : auth
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.rpc.closed
  }

  /**
   * Called once when the connection ends: with the ConnectionLostError if it was lost,
   * with undefined if we closed it.
   */
  onClose(listener: (err: ConnectionLostError | undefined) => void): Disposable {
    return this.closeListeners.add(listener)
  }

  /** Host name of the machine running the daemon. */
  async hostname(options?: CallOptions): Promise<string> {
    return (await this.remote.connectGetHostname(options)).hostname
  }

  /** The daemon's libvirt version as text, e.g. "9.0.0". */
  async libVersion(options?: CallOptions): Promise<string> {
    return formatVersion((await this.remote.connectGetLibVersion(options)).lib_ver)
  }

  /**
   * Every domain in one call (CONNECT_LIST_ALL_DOMAINS with need_results = 1).
   * @param flags a ConnectListAllDomainsFlags filter; 0 = all
   */
  async listAllDomains(flags = 0, options?: CallOptions): Promise<DomainSummary[]> {
    const ret = await this.remote.connectListAllDomains({ need_results: 1, flags }, options)
    return ret.domains.map((d) => ({ name: d.name, uuid: formatUuid(d.uuid), id: d.id, handle: d }))
  }

  /** A domain's state and reason (DOMAIN_GET_STATE; cheap, no monitor access). */
  async domainState(dom: NonnullDomain, options?: CallOptions): Promise<DomainStateInfo> {
    const { state, reason } = await this.remote.domainGetState({ dom, flags: 0 }, options)
    return { state, stateName: STATE_NAMES.get(state) ?? `UNKNOWN(${state})`, reason }
  }

  /**
   * Orderly close: CONNECT_CLOSE, then release everything. The daemon answers and drops
   * the socket; EOF instead of the answer counts as success (virt-ssh-helper may lose it).
   * Never throws: whatever the daemon says, the connection is released afterwards.
   */
  async close(): Promise<void> {
    if (this.rpc.closed) {
      this.release()
      return
    }
    this.closing = true
    try {
      await this.events.close() // end subscriptions quietly, deregister them
      await this.remote.connectClose({ timeoutMs: CLOSE_TIMEOUT_MS })
    } catch {
      // EOF, a timeout or a daemon error: nothing left to do but release.
    } finally {
      this.dispose()
    }
  }

  /** Drops the connection at once (no CONNECT_CLOSE); pending calls fail. */
  dispose(): void {
    this.closing = true
    this.rpc.close()
    this.transport.destroy()
    this.release()
  }

  /** Releases timers and listeners (idempotent). */
  private release(): void {
    this.keepalive.dispose()
    for (const s of this.subs.splice(0)) s.dispose()
  }
}
