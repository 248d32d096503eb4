/**
 * The SSH transport (`qemu+ssh://user@host/system`) on the ssh2 package, no ssh binary.
 *
 * An {@link SshSession} is one authenticated SSH connection. It can carry several libvirt
 * connections, each on its own channel: a direct-streamlocal forward to the daemon's
 * socket, or the stdin/stdout of `virt-ssh-helper` or `nc` (see ssh-routes.ts). A channel
 * is an ordinary Duplex, so it becomes an {@link RpcTransport} like a socket does.
 */
import { userInfo } from 'node:os'
import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2'
import { TransportError } from '../rpc/errors'
import { Listeners, type Disposable } from '../util/disposable'
import {
  checkHostKey,
  preferredHostKeyAlgorithms,
  type HostKeyOptions,
  type HostKeyVerdict,
} from './host-key'
import {
  createAuthHandler,
  prepareCredentials,
  type AuthEnvironment,
  type AuthRecord,
  type SshCredentials,
} from './ssh-auth'
import { SshAuthError, SshConnectError } from './ssh-errors'
import type { SshRoute } from './ssh-routes'
import { duplexTransport, type RpcTransport } from './transport'

// ssh2 is CommonJS: Node's ESM loader cannot see its named exports, so take the default.
const { Client: SshClient } = ssh2

/** Options of {@link SshSession.open}. */
export interface SshSessionOptions extends SshCredentials, HostKeyOptions {
  host: string
  /** Default 22. */
  port?: number
  /** Default: the local user's name (as ssh does). */
  user?: string
  /**
   * Deadline for TCP connect, SSH handshake and authentication, in ms (default 20 s). Time
   * spent waiting for the host key policy or the password callback (a person answering)
   * does not count.
   */
  timeoutMs?: number
  /** Aborting gives up on the attempt. */
  signal?: AbortSignal
  /** SSH-level keepalive interval in ms; default 0 (libvirt's own keepalive watches the peer). */
  keepaliveIntervalMs?: number
  /** Where default keys and the agent socket come from (tests). */
  authEnvironment?: AuthEnvironment
}

/** Options for opening one channel. */
export interface SshChannelOptions {
  /** Deadline for the channel to open (default 10 s). */
  timeoutMs?: number
  signal?: AbortSignal
}

const DEFAULT_SSH_TIMEOUT_MS = 20_000
const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000
const STDERR_KEEP = 2048
/** Host key algorithms ssh2 supports, the only ones we may ask it to prefer. */
const SUPPORTED_HOST_KEY_ALGOS = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
])

type SshError = Error & { level?: string }

/** One authenticated SSH connection that opens channels to a libvirt daemon. */
export class SshSession implements Disposable {
  private readonly channels = new Set<ClientChannel>()
  private readonly closeListeners = new Listeners<[Error | undefined]>()
  private isClosed = false
  private idleClose = false
  private lastError: Error | undefined

  private constructor(
    private readonly client: Client,
    /** `user@host:port`. */
    readonly target: string,
    /** How the server's host key was trusted. */
    readonly hostKey: HostKeyVerdict,
    /** The authentication method that succeeded, e.g. `publickey (/root/.ssh/id_ed25519)`. */
    readonly authMethod: string,
  ) {
    client.on('error', (err: Error) => {
      this.lastError ??= err
    })
    client.on('close', () => this.onClosed())
  }

  /**
   * Connects, verifies the host key and authenticates.
   * @throws SshConnectError, HostKeyMismatchError, HostKeyUnknownError, SshAuthError
   */
  static async open(options: SshSessionOptions): Promise<SshSession> {
    const host = options.host
    const port = options.port ?? 22
    const user = options.user ?? userInfo().username
    const target = `${user}@${host}:${port}`
    const timeoutMs = options.timeoutMs ?? DEFAULT_SSH_TIMEOUT_MS
    if (options.signal?.aborted) throw new SshConnectError(target, 'aborted', options.signal.reason)
    const prepared = await prepareCredentials(options, options.authEnvironment)
    const record: AuthRecord = { tried: [], allowed: [], notes: [...prepared.notes] }
    const prefer = (await preferredHostKeyAlgorithms(host, port, options)).filter((a) =>
      SUPPORTED_HOST_KEY_ALGOS.has(a),
    )
    const client = new SshClient()

    return new Promise<SshSession>((resolve, reject) => {
      let settled = false
      let verdict: HostKeyVerdict | undefined
      let hostKeyError: Error | undefined
      const timer = new PausableTimer(timeoutMs, () =>
        fail(new SshConnectError(target, `timed out after ${timeoutMs} ms`)),
      )
      const onAbort = (): void =>
        fail(new SshConnectError(target, 'aborted', options.signal?.reason))
      const cleanup = (): void => {
        timer.stop()
        options.signal?.removeEventListener('abort', onAbort)
        client.off('ready', onReady)
        client.off('error', onError)
        client.off('close', onClose)
      }
      const fail = (err: Error): void => {
        if (settled) return
        settled = true
        cleanup()
        client.on('error', () => {})
        client.end()
        reject(err)
      }
      const onReady = (): void => {
        if (settled) return
        settled = true
        cleanup()
        const method = record.tried.at(-1) ?? 'none'
        resolve(new SshSession(client, target, verdict!, method))
      }
      const onError = (err: SshError): void => {
        if (err.level === 'agent') {
          record.notes.push(`agent: ${err.message}`)
          return
        }
        if (hostKeyError) return fail(hostKeyError)
        if (err.level === 'client-authentication' || /authentication/i.test(err.message)) {
          return fail(new SshAuthError(target, record.tried, record.allowed, record.notes))
        }
        fail(new SshConnectError(target, err.message, err))
      }
      const onClose = (): void =>
        fail(hostKeyError ?? new SshConnectError(target, 'the server closed the connection'))

      client.on('ready', onReady)
      client.on('error', onError)
      client.on('close', onClose)
      options.signal?.addEventListener('abort', onAbort, { once: true })

      const password = options.password
      const config: ConnectConfig = {
        host,
        port,
        username: user,
        readyTimeout: 0,
        keepaliveInterval: options.keepaliveIntervalMs ?? 0,
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void): void => {
          timer.pause()
          checkHostKey(host, port, key, options).then(
            (v) => {
              verdict = v
              timer.resume()
              verify(true)
            },
            (err: Error) => {
              hostKeyError = err
              verify(false)
            },
          )
        },
        authHandler: createAuthHandler(
          prepared.candidates,
          { user, host, port },
          password
            ? {
                password: async (request) => {
                  timer.pause()
                  try {
                    return await password(request)
                  } finally {
                    timer.resume()
                  }
                },
              }
            : {},
          record,
        ),
      }
      if (prefer.length > 0) {
        config.algorithms = {
          serverHostKey: { remove: prefer, prepend: prefer } as never,
        }
      }
      try {
        client.connect(config)
      } catch (err) {
        fail(new SshConnectError(target, (err as Error).message, err))
      }
    })
  }

  /** Whether the SSH connection has ended. */
  get closed(): boolean {
    return this.isClosed
  }

  /** Number of channels open now. */
  get channelCount(): number {
    return this.channels.size
  }

  /** Called once when the SSH connection ends (with the error that ended it, if any). */
  onClose(listener: (cause: Error | undefined) => void): Disposable {
    return this.closeListeners.add(listener)
  }

  /**
   * A direct-streamlocal channel to a unix socket on the server (OpenSSH's
   * `direct-streamlocal@openssh.com`).
   * @throws TransportError if the server refuses (no such socket, forwarding disabled)
   */
  async forwardToSocket(socketPath: string, options?: SshChannelOptions): Promise<RpcTransport> {
    const description = `ssh:${this.target}:${socketPath}`
    const channel = await this.openChannel(
      description,
      (cb) => this.client.openssh_forwardOutStreamLocal(socketPath, cb),
      options,
    )
    return duplexTransport(channel, description)
  }

  /**
   * Runs a command on the server and uses its stdin/stdout as the byte stream. What the
   * command writes to stderr, and its exit status, are added to the close reason.
   */
  async exec(command: string, options?: SshChannelOptions): Promise<RpcTransport> {
    const description = `ssh:${this.target}:exec`
    const channel = await this.openChannel(
      description,
      (cb) => this.client.exec(command, cb),
      options,
    )
    let stderr = ''
    let exit: string | undefined
    channel.stderr.on('data', (d: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += d.toString('utf8').slice(0, STDERR_KEEP)
    })
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = code === null ? `killed by ${signal ?? 'a signal'}` : `exit status ${code}`
    })
    return withCloseDetail(duplexTransport(channel, description), () => {
      const text = stderr.trim()
      if (!text && !exit) return undefined
      return [exit && `remote command ${exit}`, text].filter(Boolean).join(': ')
    })
  }

  /**
   * Tries the routes in order and returns the first that opens.
   * @throws TransportError naming every route and why it failed
   */
  async openDaemonChannel(
    routes: readonly SshRoute[],
    options?: SshChannelOptions,
  ): Promise<{ transport: RpcTransport; route: SshRoute }> {
    const failures: string[] = []
    for (const route of routes) {
      if (this.isClosed) break
      try {
        const transport =
          route.kind === 'streamlocal'
            ? await this.forwardToSocket(route.socketPath, options)
            : await this.exec(route.command, options)
        return { transport, route }
      } catch (err) {
        if (options?.signal?.aborted) throw err
        const what = route.kind === 'streamlocal' ? `streamlocal ${route.socketPath}` : route.via
        failures.push(`${what}: ${err instanceof TransportError ? err.reason : String(err)}`)
      }
    }
    throw new TransportError(
      `ssh:${this.target}`,
      failures.length > 0 ? `no way to reach the daemon (${failures.join('; ')})` : 'SSH closed',
    )
  }

  /** Ends the SSH connection once its last channel closes (at once when none is open). */
  closeWhenIdle(): void {
    this.idleClose = true
    if (this.channels.size === 0) this.close()
  }

  /** Ends the SSH connection and every channel on it. */
  close(): void {
    if (this.isClosed) return
    this.client.end()
  }

  /** Same as {@link close}. */
  dispose(): void {
    this.close()
  }

  private openChannel(
    description: string,
    open: (cb: (err: Error | undefined, channel: ClientChannel) => void) => void,
    options: SshChannelOptions = {},
  ): Promise<ClientChannel> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS
    const { signal } = options
    return new Promise((resolve, reject) => {
      if (this.isClosed) {
        reject(new TransportError(description, 'the SSH connection is closed', this.lastError))
        return
      }
      let done = false
      const timer = setTimeout(
        () => finish(new Error(`timed out after ${timeoutMs} ms`)),
        timeoutMs,
      )
      const onAbort = (): void => finish(new Error('aborted'))
      const finish = (err: Error | undefined, channel?: ClientChannel): void => {
        if (done) {
          channel?.destroy()
          return
        }
        done = true
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        if (err || !channel) {
          reject(new TransportError(description, err?.message ?? 'no channel', err))
          return
        }
        this.track(channel)
        resolve(channel)
      }
      if (signal?.aborted) return finish(new Error('aborted'))
      signal?.addEventListener('abort', onAbort, { once: true })
      try {
        open((err, channel) => finish(err ?? undefined, channel))
      } catch (err) {
        finish(err as Error)
      }
    })
  }

  private track(channel: ClientChannel): void {
    this.channels.add(channel)
    channel.once('close', () => {
      this.channels.delete(channel)
      if (this.idleClose && this.channels.size === 0) this.close()
    })
  }

  private onClosed(): void {
    if (this.isClosed) return
    this.isClosed = true
    for (const c of this.channels) c.destroy()
    this.channels.clear()
    this.closeListeners.fire(this.lastError)
    this.closeListeners.clear()
  }
}

/** Wraps a transport so its close reason carries extra detail (e.g. a command's stderr). */
function withCloseDetail(t: RpcTransport, detail: () => string | undefined): RpcTransport {
  return {
    get description() {
      return t.description
    },
    get closed() {
      return t.closed
    },
    write: (bytes) => t.write(bytes),
    onData: (listener) => t.onData(listener),
    onClose: (listener) =>
      t.onClose((reason, cause) => {
        const d = detail()
        listener(d ? `${reason} (${d})` : reason, cause)
      }),
    close: () => t.close(),
    destroy: (cause) => t.destroy(cause),
    ...(t.flow && { flow: t.flow }),
  }
}

/** A one-shot timer that can be paused while a person is being asked something. */
class PausableTimer {
  private timer: ReturnType<typeof setTimeout> | undefined
  private remaining: number
  private startedAt = 0
  private depth = 0

  constructor(
    ms: number,
    private readonly onFire: () => void,
  ) {
    this.remaining = ms
    if (ms > 0) this.start()
  }

  pause(): void {
    if (this.depth++ > 0 || this.timer === undefined) return
    clearTimeout(this.timer)
    this.timer = undefined
    this.remaining -= Date.now() - this.startedAt
  }

  resume(): void {
    if (this.depth === 0 || --this.depth > 0 || this.remaining === Infinity) return
    if (this.remaining > 0 && this.timer === undefined) this.start()
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.remaining = Infinity
  }

  private start(): void {
    this.startedAt = Date.now()
    this.timer = setTimeout(this.onFire, Math.max(1, this.remaining))
  }
}
