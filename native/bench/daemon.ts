/**
 * The daemon side of the bench: libvirtd.conf settings (with libvirt's defaults), the live
 * values from the admin socket, and the bench's private libvirtd.
 */
import { existsSync, readFileSync } from 'node:fs'
import { AdminCalls, Connection, connectUnix, typedParamsToObject } from '../src/index'
import { startPrivateDaemon, type PrivateDaemon } from '../test/private-daemon'

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

/**
 * Starts the bench's private libvirtd with max_client_requests raised, so the shared daemon is
 * never restarted or reconfigured.
 */
export function startBenchDaemon(): Promise<PrivateDaemon | string> {
  return startPrivateDaemon({
    name: 'bench',
    conf: { max_client_requests: 1000, max_workers: 20, prio_workers: 5 },
  })
}
