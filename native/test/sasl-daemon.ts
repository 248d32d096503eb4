/**
 * A private libvirtd (test/private-daemon.ts) that wants a SASL login: its own Cyrus SASL
 * config (SASL_CONF_PATH, which libvirt 9.0's sasl_server_init honours for a non-setuid
 * daemon) with `mech_list` and a sasldb made with saslpasswd2 (Debian package sasl2-bin).
 * Optionally it also listens on TLS and plain TCP (both with auth = sasl) on free ports.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createConnection, createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { makeTestPki } from './pki'
import { privateDaemonDir, startPrivateDaemon, type PrivateDaemon } from './private-daemon'

/** Options of {@link startSaslDaemon}. */
export interface SaslDaemonOptions {
  /** Folder name under /var/tmp/virtdeck-private. */
  name: string
  /** Cyrus mechanism names, e.g. `['scram-sha-256']`. */
  mechanisms: string[]
  /** Accounts for the sasldb: user name -> password. */
  users: Record<string, string>
  /** Also listen on TLS and plain TCP (127.0.0.1, free ports). */
  network?: boolean
}

/** A running SASL daemon. */
export interface SaslDaemon extends PrivateDaemon {
  /** TLS and TCP ports when `network` was asked for. */
  tlsPort?: number
  tcpPort?: number
  /** The pkipath for TLS clients (cacert.pem, clientcert.pem, clientkey.pem). */
  pkiDir?: string
}

/**
 * Starts the daemon.
 * @throws Error when saslpasswd2 is missing or the daemon does not come up
 */
export async function startSaslDaemon(options: SaslDaemonOptions): Promise<SaslDaemon> {
  if (spawnSync('saslpasswd2', ['-v']).error) {
    throw new Error('saslpasswd2 is missing: run scripts/test-host/up.sh (package sasl2-bin)')
  }
  const dir = privateDaemonDir(options.name)
  const saslDir = join(dir, 'sasl2')
  const db = join(saslDir, 'passwd.db')
  const pkiDir = join(dir, 'pki')
  const ports = options.network ? { tls: await freePort(), tcp: await freePort() } : undefined
  const conf: Record<string, string | number> = {
    auth_unix_rw: '"sasl"',
    auth_unix_ro: '"sasl"',
  }
  if (ports) {
    Object.assign(conf, {
      listen_tls: 1,
      listen_tcp: 1,
      listen_addr: '"127.0.0.1"',
      tls_port: `"${ports.tls}"`,
      tcp_port: `"${ports.tcp}"`,
      auth_tls: '"sasl"',
      auth_tcp: '"sasl"',
      key_file: `"${pkiDir}/serverkey.pem"`,
      cert_file: `"${pkiDir}/servercert.pem"`,
      ca_file: `"${pkiDir}/cacert.pem"`,
    })
  }
  const daemon = await startPrivateDaemon({
    name: options.name,
    conf,
    env: { SASL_CONF_PATH: saslDir },
    args: ports ? ['--listen'] : [],
    prepare: () => {
      mkdirSync(saslDir)
      writeFileSync(
        join(saslDir, 'libvirt.conf'),
        `mech_list: ${options.mechanisms.join(' ')}\nsasldb_path: ${db}\n`,
      )
      for (const [user, password] of Object.entries(options.users)) {
        // -p: the password comes from stdin; -a libvirt: the application name libvirtd uses.
        const r = spawnSync('saslpasswd2', ['-p', '-c', '-a', 'libvirt', '-f', db, user], {
          input: password,
        })
        if (r.status !== 0) throw new Error(`saslpasswd2 failed: ${r.stderr.toString()}`)
      }
      if (ports) makeTestPki(pkiDir)
    },
  })
  if (typeof daemon === 'string') throw new Error(`private libvirtd: ${daemon}`)
  if (!ports) return daemon
  await waitForPort(ports.tls, 10_000)
  return { ...daemon, tlsPort: ports.tls, tcpPort: ports.tcp, pkiDir }
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

/** Waits until something accepts connections on 127.0.0.1:port. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port })
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
