/** The anchors the app is measured against: virsh and python3-libvirt (Debian's packages). */
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const PYTHON = '/usr/bin/python3'
const PY_STATS = fileURLToPath(new URL('./py_stats.py', import.meta.url))

/** Wall time in ms of one `virsh -c URI ARGS...` from spawn to exit; throws if it fails. */
export function virshMs(uri: string, ...args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn('virsh', ['-c', uri, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      const ms = performance.now() - start
      if (code === 0) resolve(ms)
      else reject(new Error(`virsh ${args.join(' ')} failed (${code}): ${err.trim()}`))
    })
  })
}

/** What py_stats.py reports: per run, ms per call (wall and its process's CPU). */
export interface PyStats {
  wall: number[]
  cpu: number[]
  domains: number
}

/**
 * `runs` runs of `batch` getAllDomainStats(groups, flags) calls (domainListGetStats of the
 * named `domains` if any) plus the tick's walk, by python3-libvirt over `uri` (after
 * `warmups` untimed calls).
 */
export function pythonStats(
  uri: string,
  groups: number,
  flags: number,
  runs: number,
  batch: number,
  warmups = 3,
  domains: readonly string[] = [],
): PyStats {
  const r = spawnSync(
    PYTHON,
    [
      PY_STATS,
      uri,
      String(groups),
      String(flags),
      String(warmups),
      String(runs),
      String(batch),
      ...domains,
    ],
    { encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`py_stats.py failed (${r.status}): ${r.stderr}`)
  return JSON.parse(r.stdout) as PyStats
}

/** python3-libvirt's version as libvirt.getVersion() prints it, or why there is none. */
export function pythonLibvirtVersion(): string {
  const r = spawnSync(PYTHON, ['-c', 'import libvirt; print(libvirt.getVersion())'], {
    encoding: 'utf8',
  })
  return r.status === 0 ? r.stdout.trim() : `unavailable: ${r.stderr.trim().split('\n').pop()}`
}
