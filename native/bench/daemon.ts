/**
 * The daemon side of the bench: libvirtd.conf settings (with libvirt's defaults), the live
 * values from the admin socket, and a private libvirtd (as `nobody`, its own sockets and
 * state under /var/tmp) with max_client_requests raised, so the shared daemon is never
 * restarted or reconfigured.
 */
import { spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AdminCalls, Connection, connectUnix, typedParamsToObject } from '../src/index'

/** Defaults of the settings that matter here (libvirtd.conf as shipped by libvirt 9). */
const CONF_DEFAULTS: Record<string, string> = {
  max_clients: '5000',
  max_anonymous_clients: '20',
  min_workers: '5',
  max_workers: '20',
  prio_workers: '5',
  max_client_requests: '5',
  keepalive_interval: '5',
  keepalive_count: '5',
}

/** One line per setting: value and where it came from. */
export function confSettings(path = '/etc/libvirt/libvirtd.conf'): string[] {
  const set = new Map<string, string>()
  const exists = existsSync(path)
  if (exists) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const m = /^\s*([a-z_]+)\s*=\s*(.+?)\s*$/.exec(line)
      if (m && m[1] && m[2] && m[1] in CONF_DEFAULTS) set.set(m[1], m[2])
    }
  }
  const from = exists ? path : `${path} absent`
  return Object.entries(CONF_DEFAULTS).map(([k, d]) =>
    set.has(k) ? `${k} = ${set.get(k)} (${path})` : `${k} = ${d} (default; ${from})`,
  )
}

/** Live thread pool and client limits of the daemon's `libvirtd` server (admin socket). */
export async function adminSettings(socketPath: string): Promise<string> {
  const transport = await connectUnix(socketPath, { timeoutMs: 3000 })
  const conn = new Connection(transport, { keepalive: false })
  try {
    const admin = new AdminCalls(conn.rpc)
    await admin.adminConnectOpen({ flags: 0 })
    const { srv } = await admin.adminConnectLookupServer({ name: 'libvirtd', flags: 0 })
    const [pool, limits] = await Promise.all([
      admin.adminServerGetThreadpoolParameters({ srv, flags: 0 }),
      admin.adminServerGetClientLimits({ srv, flags: 0 }),
    ])
    const fmt = (o: Record<string, unknown>): string =>
      Object.entries(o)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ')
    await admin.adminConnectClose({ timeoutMs: 2000 }).catch(() => {})
    return `threadpool ${fmt(typedParamsToObject(pool.params))}; clients ${fmt(typedParamsToObject(limits.params))}`
  } finally {
    conn.dispose()
  }
}

/** A libvirtd of our own; `stop()` ends exactly the process we started. */
export interface PrivateDaemon {
  socketPath: string
  settings: string
  stop(): void
}

const PRIVATE_DIR = '/var/tmp/virtdeck-bench/libvirtd-priv'
const NOBODY = 65534

/**
 * Starts a private libvirtd as `nobody` (a session-mode daemon: no system state touched)
 * with max_client_requests = 1000 and an idle timeout, or explains why it cannot.
 */
export async function startPrivateDaemon(): Promise<PrivateDaemon | string> {
  if (process.getuid?.() !== 0) return 'needs root (to run libvirtd as nobody)'
  if (spawnSync('libvirtd', ['--version']).status !== 0) return 'no libvirtd binary'
  rmSync(PRIVATE_DIR, { recursive: true, force: true })
  for (const d of ['home', 'run', 'config', 'cache', 'data']) {
    mkdirSync(join(PRIVATE_DIR, d), { recursive: true })
  }
  const settings = 'max_client_requests = 1000, max_workers = 20, prio_workers = 5'
  writeFileSync(
    join(PRIVATE_DIR, 'libvirtd.conf'),
    `max_client_requests = 1000\nmax_workers = 20\nprio_workers = 5\n` +
      `log_outputs = "3:file:${PRIVATE_DIR}/libvirtd.log"\n`,
  )
  spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, PRIVATE_DIR])
  chownSync(PRIVATE_DIR, NOBODY, NOBODY)
  const env: Record<string, string> = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: join(PRIVATE_DIR, 'home'),
    XDG_RUNTIME_DIR: join(PRIVATE_DIR, 'run'),
    XDG_CONFIG_HOME: join(PRIVATE_DIR, 'config'),
    XDG_CACHE_HOME: join(PRIVATE_DIR, 'cache'),
    XDG_DATA_HOME: join(PRIVATE_DIR, 'data'),
  }
  const child = spawn(
    'libvirtd',
    ['-f', join(PRIVATE_DIR, 'libvirtd.conf'), '-t', '120', '-p', join(PRIVATE_DIR, 'pid')],
    { uid: NOBODY, gid: NOBODY, env, stdio: 'ignore', cwd: PRIVATE_DIR },
  )
  const socketPath = join(PRIVATE_DIR, 'run', 'libvirt', 'libvirt-sock')
  const deadline = Date.now() + 10_000
  while (!existsSync(socketPath) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 50))
  }
  if (!existsSync(socketPath)) {
    child.kill()
    return `libvirtd as nobody did not come up (exit ${String(child.exitCode)})`
  }
  await new Promise((r) => setTimeout(r, 200)) // the socket exists before it listens
  return {
    socketPath,
    settings,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
    },
  }
}
