/**
 * Where a daemon's unix socket is (protocol README section 7):
 *
 * | layout                         | system rw / ro                                   | session                                  |
 * |--------------------------------|--------------------------------------------------|------------------------------------------|
 * | libvirtd, or virtproxyd        | /var/run/libvirt/libvirt-sock / libvirt-sock-ro  | $XDG_RUNTIME_DIR/libvirt/libvirt-sock    |
 * | modular, per driver (`direct`) | /var/run/libvirt/virtqemud-sock / -sock-ro       | $XDG_RUNTIME_DIR/libvirt/virtqemud-sock  |
 *
 * `?socket=` wins. `?mode=legacy` means libvirt-sock, `direct` the driver's own daemon.
 * In `auto` mode (the default) we prefer libvirt-sock when it exists and fall back to the
 * driver's socket: libvirt's own client prefers the driver's socket, but libvirt-sock
 * (libvirtd or virtproxyd) also serves the network, storage and other drivers, which the
 * per-driver socket only reaches by forwarding. $XDG_RUNTIME_DIR falls back to ~/.cache.
 * The session daemon has no read-only socket (the connection is opened read-only instead).
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { posix } from 'node:path'
import type { LibvirtUri } from './uri'

const { join } = posix

/** The directory of the system daemons' sockets (/var/run on purpose, as libvirt does). */
export const SYSTEM_SOCKET_DIR = '/var/run/libvirt'

/** `mode=` of a libvirt URI. */
export type SocketMode = 'auto' | 'legacy' | 'direct'

/** Drivers that have a daemon of their own in the modular layout, and its name. */
const DRIVER_DAEMONS: Readonly<Record<string, string>> = {
  qemu: 'virtqemud',
  lxc: 'virtlxcd',
  libxl: 'virtxend',
  xen: 'virtxend',
  vbox: 'virtvboxd',
  bhyve: 'virtbhyved',
  ch: 'virtchd',
  vz: 'virtvzd',
}

/**
 * The modular daemon serving a driver, e.g. `virtqemud` for qemu; undefined for drivers
 * served only by libvirtd/virtproxyd (the test driver, for one).
 */
export function driverDaemon(driver: string): string | undefined {
  return DRIVER_DAEMONS[driver]
}

/** Where the files are looked for (tests pass their own). */
export interface SocketEnvironment {
  env: Readonly<Record<string, string | undefined>>
  home: string
  exists: (path: string) => boolean
}

/** The local machine's environment. */
export function localSocketEnvironment(): SocketEnvironment {
  return { env: process.env, home: homedir(), exists: existsSync }
}

/** A chosen socket and why. */
export interface SocketChoice {
  path: string
  /** The daemon's read-only socket was chosen (system -ro socket). */
  readOnlySocket: boolean
  /** How it was chosen, for logs and error messages. */
  why: string
}

/** The session daemons' directory: $XDG_RUNTIME_DIR/libvirt, or ~/.cache/libvirt. */
export function sessionSocketDir(environment: SocketEnvironment): string {
  const runtime = environment.env.XDG_RUNTIME_DIR
  return join(runtime ? runtime : join(environment.home, '.cache'), 'libvirt')
}

/**
 * The socket a URI reaches on this machine (unix transport).
 * @param readOnly pick the system daemon's read-only socket
 */
export function localSocketPath(
  uri: LibvirtUri,
  readOnly = false,
  environment: SocketEnvironment = localSocketEnvironment(),
): SocketChoice {
  const explicit = uri.params.socket
  if (explicit) return { path: explicit, readOnlySocket: false, why: 'socket= parameter' }
  const mode = (uri.params.mode ?? 'auto') as SocketMode
  const daemon = driverDaemon(uri.driver)
  if (uri.scope === 'session') {
    const dir = sessionSocketDir(environment)
    return pick(dir, '', mode, daemon, environment, false)
  }
  return pick(SYSTEM_SOCKET_DIR, readOnly ? '-ro' : '', mode, daemon, environment, readOnly)
}

function pick(
  dir: string,
  suffix: string,
  mode: SocketMode,
  daemon: string | undefined,
  environment: SocketEnvironment,
  readOnlySocket: boolean,
): SocketChoice {
  const legacy = join(dir, `libvirt-sock${suffix}`)
  const direct = daemon ? join(dir, `${daemon}-sock${suffix}`) : undefined
  if (mode === 'direct') {
    if (!direct)
      return { path: legacy, readOnlySocket, why: 'mode=direct, driver has no daemon of its own' }
    return { path: direct, readOnlySocket, why: 'mode=direct' }
  }
  if (mode === 'legacy') return { path: legacy, readOnlySocket, why: 'mode=legacy' }
  if (environment.exists(legacy) || !direct) {
    return { path: legacy, readOnlySocket, why: 'libvirtd/virtproxyd socket' }
  }
  if (environment.exists(direct)) {
    return { path: direct, readOnlySocket, why: `no libvirt-sock; ${daemon} socket` }
  }
  return { path: legacy, readOnlySocket, why: 'neither socket exists; libvirtd socket' }
}

/**
 * The system socket on a *remote* host, for SSH (the file cannot be checked there, so
 * `auto` means libvirt-sock, like libvirt's netcat fallback). Undefined for session URIs
 * without `socket=`: the remote user's runtime directory is unknown (virt-ssh-helper
 * finds it).
 */
export function remoteSocketPath(uri: LibvirtUri, readOnly = false): string | undefined {
  if (uri.params.socket) return uri.params.socket
  if (uri.scope === 'session') return undefined
  const daemon = uri.params.mode === 'direct' ? driverDaemon(uri.driver) : undefined
  return join(SYSTEM_SOCKET_DIR, `${daemon ?? 'libvirt'}-sock${readOnly ? '-ro' : ''}`)
}
