/**
 * A libvirtd of our own for tests and benches that must configure or stop a daemon: it runs
 * as `nobody` in session mode (no system state touched), with its own config, sockets and
 * state under /var/tmp/virtdeck-private/NAME, so the shared test-host daemons are never
 * restarted, reconfigured or frozen.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A running private libvirtd; `stop()` ends exactly the process we started. */
export interface PrivateDaemon {
  /** Its read-write unix socket. */
  socketPath: string
  /** Its folder (config, log, state). */
  dir: string
  /** The settings it was started with, one line, for reports. */
  settings: string
  /** The libvirtd process id (tests may SIGSTOP/SIGCONT it). */
  pid: number
  /** Ends the daemon (SIGCONT first, in case a test froze it) and waits for it to exit. */
  stop(): Promise<void>
}

/** Options of {@link startPrivateDaemon}. */
export interface PrivateDaemonOptions {
  /** Folder name under /var/tmp/virtdeck-private; one daemon per name at a time. */
  name: string
  /** libvirtd.conf settings, written as given (`key = value`; quote strings yourself). */
  conf?: Record<string, string | number>
  /** Extra environment for the daemon (e.g. SASL_CONF_PATH). */
  env?: Record<string, string>
  /** Called with the folder before the daemon starts, to write more files there. */
  prepare?: (dir: string) => void
  /** Extra libvirtd arguments, e.g. `--listen` for the TCP/TLS listeners of `conf`. */
  args?: string[]
}

const ROOT = '/var/tmp/virtdeck-private'
const NOBODY = 65534

/** The folder of the private daemon called `name` (known before it starts, for its config). */
export function privateDaemonDir(name: string): string {
  return join(ROOT, name)
}

/**
 * Starts a private libvirtd, or explains why it cannot (not root, no libvirtd binary, it did
 * not come up).
 */
export async function startPrivateDaemon(
  options: PrivateDaemonOptions,
): Promise<PrivateDaemon | string> {
  if (process.getuid?.() !== 0) return 'needs root (to run libvirtd as nobody)'
  if (spawnSync('libvirtd', ['--version']).status !== 0) return 'no libvirtd binary'
  const dir = privateDaemonDir(options.name)
  rmSync(dir, { recursive: true, force: true })
  for (const d of ['home', 'run', 'config', 'cache', 'data']) {
    mkdirSync(join(dir, d), { recursive: true })
  }
  const conf = Object.entries(options.conf ?? {}).map(([k, v]) => `${k} = ${v}`)
  writeFileSync(
    join(dir, 'libvirtd.conf'),
    [...conf, `log_outputs = "3:file:${dir}/libvirtd.log"`, ''].join('\n'),
  )
  options.prepare?.(dir)
  spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir])
  const env: Record<string, string> = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: join(dir, 'home'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_DATA_HOME: join(dir, 'data'),
    ...options.env,
  }
  const child = spawn(
    'libvirtd',
    [
      '-f',
      join(dir, 'libvirtd.conf'),
      '-t',
      '120',
      '-p',
      join(dir, 'pid'),
      ...(options.args ?? []),
    ],
    { uid: NOBODY, gid: NOBODY, env, stdio: 'ignore', cwd: dir },
  )
  const socketPath = join(dir, 'run', 'libvirt', 'libvirt-sock')
  const deadline = Date.now() + 10_000
  while (!existsSync(socketPath) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 50))
  }
  if (!existsSync(socketPath) || child.pid === undefined) {
    child.kill()
    return `libvirtd as nobody did not come up (exit ${String(child.exitCode)}; see ${dir}/libvirtd.log)`
  }
  await new Promise((r) => setTimeout(r, 200)) // the socket exists before it listens
  return {
    socketPath,
    dir,
    settings: conf.join(', '),
    pid: child.pid,
    stop: () => stopChild(child),
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGCONT')
    child.kill('SIGTERM')
  })
}
