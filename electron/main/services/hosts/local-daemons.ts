import { connect } from 'node:net'
import { stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { LocalDaemon } from '@common/contract/hosts'

/** Where a libvirt daemon may keep its socket on this machine, in order of preference. */
export interface SocketCandidate {
  scope: 'system' | 'session'
  daemon: LocalDaemon['daemon']
  socketPath: string
  readOnly: boolean
}

/**
 * Directories that hold system sockets: Linux, then Homebrew on Apple silicon and Intel.
 * VIRTDECK_LIBVIRT_SOCKET_DIRS (path-delimiter separated) replaces the list, for libvirt
 * built with another prefix.
 */
const SYSTEM_DIRS = [
  '/var/run/libvirt',
  '/run/libvirt',
  '/opt/homebrew/var/run/libvirt',
  '/usr/local/var/run/libvirt',
]

/**
 * Lists the sockets worth probing. The monolithic libvirtd (or, on a modular host, virtproxyd)
 * serves libvirt-sock; virtqemud serves virtqemud-sock directly.
 */
export function socketCandidates(env: NodeJS.ProcessEnv = process.env): SocketCandidate[] {
  const out: SocketCandidate[] = []
  const seen = new Set<string>()
  const add = (c: SocketCandidate) => {
    if (!seen.has(c.socketPath)) out.push(c)
    seen.add(c.socketPath)
  }
  const systemDirs =
    env.VIRTDECK_LIBVIRT_SOCKET_DIRS?.split(delimiter).filter(Boolean) ?? SYSTEM_DIRS
  for (const dir of systemDirs) {
    add({
      scope: 'system',
      daemon: 'libvirtd',
      socketPath: join(dir, 'libvirt-sock'),
      readOnly: false,
    })
    add({
      scope: 'system',
      daemon: 'virtqemud',
      socketPath: join(dir, 'virtqemud-sock'),
      readOnly: false,
    })
    add({
      scope: 'system',
      daemon: 'libvirtd',
      socketPath: join(dir, 'libvirt-sock-ro'),
      readOnly: true,
    })
  }
  const sessionDirs = [
    env.XDG_RUNTIME_DIR && join(env.XDG_RUNTIME_DIR, 'libvirt'),
    join(env.HOME ?? homedir(), '.cache', 'libvirt'),
  ].filter((d): d is string => Boolean(d))
  for (const dir of sessionDirs) {
    add({
      scope: 'session',
      daemon: 'libvirtd',
      socketPath: join(dir, 'libvirt-sock'),
      readOnly: false,
    })
    add({
      scope: 'session',
      daemon: 'virtqemud',
      socketPath: join(dir, 'virtqemud-sock'),
      readOnly: false,
    })
  }
  return out
}

/** Tries to open a unix socket: answering, permission-denied, not-answering, or absent. */
export async function probeSocket(
  path: string,
  timeoutMs = 1000,
): Promise<LocalDaemon['status'] | 'absent'> {
  try {
    const info = await stat(path)
    if (!info.isSocket()) return 'absent'
  } catch {
    return 'absent'
  }
  return new Promise((resolve) => {
    const socket = connect(path)
    const finish = (status: LocalDaemon['status']) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(status)
    }
    const timer = setTimeout(() => finish('not-answering'), timeoutMs)
    socket.once('connect', () => finish('answering'))
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish(err.code === 'EACCES' || err.code === 'EPERM' ? 'permission-denied' : 'not-answering'),
    )
  })
}

/** The URI that reaches a socket: the plain one for standard paths, ?socket= otherwise. */
export function uriForSocket(c: SocketCandidate, env: NodeJS.ProcessEnv = process.env): string {
  const standard =
    c.scope === 'system'
      ? ['/var/run/libvirt/libvirt-sock', '/run/libvirt/libvirt-sock']
      : [env.XDG_RUNTIME_DIR && join(env.XDG_RUNTIME_DIR, 'libvirt', 'libvirt-sock')]
  if (!c.readOnly && standard.includes(c.socketPath)) return `qemu:///${c.scope}`
  return `qemu+unix:///${c.scope}?socket=${encodeURIComponent(c.socketPath)}`
}

/**
 * Finds the local daemons: for each scope, the first read-write socket that answers (or, if
 * none answers, the first that exists, so the UI can explain why). A read-only socket is
 * listed only when the read-write one of its directory is refused.
 */
export async function discoverLocalDaemons(
  isAdded: (uri: string) => boolean,
  candidates: SocketCandidate[] = socketCandidates(),
): Promise<LocalDaemon[]> {
  const probed = await Promise.all(
    candidates.map(async (c) => ({ c, status: await probeSocket(c.socketPath) })),
  )
  const found: LocalDaemon[] = []
  for (const scope of ['system', 'session'] as const) {
    const present = probed.filter(({ c, status }) => c.scope === scope && status !== 'absent')
    const rw = present.filter(({ c }) => !c.readOnly)
    const best = rw.find(({ status }) => status === 'answering') ?? rw[0]
    const pick =
      best?.status === 'answering'
        ? best
        : (present.find(({ c, status }) => c.readOnly && status === 'answering') ?? best)
    if (!pick || pick.status === 'absent') continue
    const modular = present.some(({ c }) => c.daemon === 'virtqemud')
    const uri = uriForSocket(pick.c)
    found.push({
      uri,
      scope,
      daemon: pick.c.daemon === 'libvirtd' && modular ? 'virtproxyd' : pick.c.daemon,
      socketPath: pick.c.socketPath,
      readOnly: pick.c.readOnly,
      status: pick.status,
      added: isAdded(uri),
    })
  }
  return found
}
