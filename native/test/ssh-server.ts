/**
 * An in-process SSH server (ssh2's Server) playing a remote libvirt host, for unit tests
 * of the SSH transport: one authorized public key and one password; direct-streamlocal
 * to one socket path (relayed to a local unix socket, e.g. the fault server's responder);
 * `exec` of anything containing `virt-ssh-helper` relayed the same way, any other command
 * failing like a missing nc (stderr, exit status 127).
 */
import { createConnection, type AddressInfo } from 'node:net'
import ssh2, { type Connection, type ServerChannel } from 'ssh2'

const { Server, utils } = ssh2

/** Options of {@link FakeSshHost.start}. */
export interface FakeSshHostOptions {
  /** The local unix socket channels are relayed to. */
  upstream: string
  /** The remote socket path direct-streamlocal accepts (others are refused). */
  socketPath: string
  /** The authorized public key, OpenSSH text (`ssh-ed25519 AAAA...`). */
  authorizedKey: string
  /** The accepted password. */
  password?: string
}

/** A running fake SSH host. */
export class FakeSshHost {
  /** Connections currently open. */
  connections = 0
  /** What clients asked for, in order: `streamlocal PATH`, `exec COMMAND`. */
  readonly requests: string[] = []
  private readonly clients = new Set<Connection>()

  private constructor(
    private readonly server: InstanceType<typeof Server>,
    /** The host's public key, OpenSSH text. */
    readonly hostPublicKey: string,
    readonly port: number,
  ) {}

  /** The host key blob as base64 (the key field of a known_hosts line). */
  get hostKeyBase64(): string {
    return this.hostPublicKey.split(' ')[1]!
  }

  /** A known_hosts line for this host. */
  knownHostsLine(): string {
    return `[127.0.0.1]:${this.port} ssh-ed25519 ${this.hostKeyBase64}`
  }

  /** Starts listening on 127.0.0.1 with a fresh ed25519 host key. */
  static async start(options: FakeSshHostOptions): Promise<FakeSshHost> {
    const hostKey = utils.generateKeyPairSync('ed25519')
    const authorized = utils.parseKey(options.authorizedKey)
    if (authorized instanceof Error) throw authorized
    const ref: { host?: FakeSshHost } = {}
    const server = new Server(
      { hostKeys: [hostKey.private], ident: 'OpenSSH_9.2p1 Debian-2' },
      (client: Connection) => {
        const h = ref.host!
        h.connections++
        h.clients.add(client)
        client.on('close', () => {
          h.connections--
          h.clients.delete(client)
        })
        client.on('error', () => {})
        client.on('authentication', (ctx) => {
          if (ctx.method === 'publickey' && ctx.key.data.equals(authorized.getPublicSSH())) {
            if (!ctx.signature) return ctx.accept()
            if (authorized.verify(ctx.blob!, ctx.signature, ctx.hashAlgo)) return ctx.accept()
          }
          if (ctx.method === 'password' && options.password && ctx.password === options.password) {
            return ctx.accept()
          }
          ctx.reject(options.password ? ['publickey', 'password'] : ['publickey'])
        })
        client.on('ready', () => {
          client.on('openssh.streamlocal', (accept, reject, info) => {
            h.requests.push(`streamlocal ${info.socketPath}`)
            if (info.socketPath !== options.socketPath) return reject()
            relay(accept(), options.upstream)
          })
          client.on('session', (acceptSession) => {
            acceptSession().on('exec', (accept, _reject, info) => {
              h.requests.push(`exec ${info.command}`)
              const channel = accept()
              if (info.command.includes('virt-ssh-helper')) return relay(channel, options.upstream)
              channel.stderr.write('sh: 1: exec: nc: not found\n')
              channel.exit(127)
              channel.end()
            })
          })
        })
      },
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    ref.host = new FakeSshHost(server, hostKey.public, port)
    return ref.host
  }

  /** Stops listening (open connections are dropped). */
  async close(): Promise<void> {
    for (const c of this.clients) c.end()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

function relay(channel: ServerChannel, path: string): void {
  const up = createConnection({ path })
  up.on('error', () => channel.destroy())
  channel.on('error', () => up.destroy())
  channel.pipe(up).pipe(channel)
}
