/**
 * How an SSH connection reaches the remote daemon (protocol README section 8), as routes
 * tried in order until one opens:
 *
 * - `streamlocal`: OpenSSH's direct-streamlocal channel straight to the daemon's socket
 *   (no remote process; needs sshd's AllowStreamLocalForwarding, on by default);
 * - `exec` of `virt-ssh-helper URI` (shipped with the daemon; picks the socket itself,
 *   starts a session daemon when needed);
 * - `exec` of `nc -U socket` (netcat with unix socket support);
 * - `exec` of libvirt's own combined command: the helper when `command -v` finds it,
 *   otherwise nc.
 *
 * The URI's `proxy=` chooses: `native` = helper only; `netcat` = the socket only
 * (streamlocal, then nc); `auto` = streamlocal, then the combined command. Without
 * `proxy=`, `socket=`/`netcat=` imply netcat, and a session URI without `socket=` implies
 * native (the remote runtime directory is unknown here).
 */
import { remoteSocketPath } from './socket-paths'
import { UriError, type LibvirtUri } from './uri'

/** One way to reach the daemon through SSH. */
export type SshRoute =
  | { kind: 'streamlocal'; socketPath: string }
  | { kind: 'exec'; via: 'virt-ssh-helper' | 'netcat' | 'auto'; command: string }

/** Route names callers can force (in order) instead of the URI's rules. */
export type SshVia = 'streamlocal' | 'virt-ssh-helper' | 'netcat'

/** Quotes a word for a POSIX shell: `'it'\''s'`. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** The URI virt-ssh-helper gets: the daemon-side name plus `mode=` (never a host). */
export function helperUri(uri: LibvirtUri): string {
  const base = uri.daemonName
  const mode = uri.params.mode
  if (!mode || uri.params.name) return base
  return `${base}${base.includes('?') ? '&' : '?'}mode=${encodeURIComponent(mode)}`
}

/** `virt-ssh-helper [-r] URI`. */
export function helperCommand(uri: LibvirtUri, readOnly: boolean): string {
  return `virt-ssh-helper${readOnly ? ' -r' : ''} ${shellQuote(helperUri(uri))}`
}

/** The nc part, with libvirt's probe for `-q0` (so nc exits when the daemon closes). */
function netcatScript(socketPath: string, netcat: string): string {
  const nc = shellQuote(netcat)
  return (
    `if ${nc} -q 2>&1 | grep 'requires an argument' >/dev/null 2>&1; then ARG=-q0; else ARG=; fi; ` +
    `exec ${nc} $ARG -U ${shellQuote(socketPath)}`
  )
}

/** `sh -c '... nc -U socket'`. */
export function netcatCommand(socketPath: string, netcat = 'nc'): string {
  return `sh -c ${shellQuote(netcatScript(socketPath, netcat))}`
}

/** libvirt's combined command: virt-ssh-helper when present, else nc. */
export function autoCommand(
  uri: LibvirtUri,
  socketPath: string,
  readOnly: boolean,
  netcat = 'nc',
): string {
  const script =
    `if command -v virt-ssh-helper >/dev/null 2>&1; then exec ${helperCommand(uri, readOnly)}; fi; ` +
    netcatScript(socketPath, netcat)
  return `sh -c ${shellQuote(script)}`
}

/**
 * The routes to try, in order.
 * @param via force these route kinds in this order (tests, or a user setting)
 * @throws UriError when the URI leaves no usable route (netcat without a known socket)
 */
export function planSshRoutes(
  uri: LibvirtUri,
  readOnly: boolean,
  via?: readonly SshVia[],
): SshRoute[] {
  const socketPath = remoteSocketPath(uri, readOnly)
  const netcat = uri.params.netcat ?? 'nc'
  const needSocket = (what: string): string => {
    if (socketPath) return socketPath
    throw new UriError('sessionNeedsSocket', { what })
  }
  if (via) {
    return via.map((v): SshRoute => {
      if (v === 'streamlocal') return { kind: 'streamlocal', socketPath: needSocket('streamlocal') }
      if (v === 'netcat') {
        return { kind: 'exec', via: 'netcat', command: netcatCommand(needSocket('netcat'), netcat) }
      }
      return { kind: 'exec', via: 'virt-ssh-helper', command: helperCommand(uri, readOnly) }
    })
  }
  const implied =
    uri.params.socket || uri.params.netcat ? 'netcat' : uri.scope === 'session' ? 'native' : 'auto'
  const proxy = uri.params.proxy ?? implied
  if (proxy === 'native') {
    return [{ kind: 'exec', via: 'virt-ssh-helper', command: helperCommand(uri, readOnly) }]
  }
  if (proxy === 'netcat') {
    const path = needSocket('proxy=netcat')
    return [
      { kind: 'streamlocal', socketPath: path },
      { kind: 'exec', via: 'netcat', command: netcatCommand(path, netcat) },
    ]
  }
  if (!socketPath) {
    return [{ kind: 'exec', via: 'virt-ssh-helper', command: helperCommand(uri, readOnly) }]
  }
  return [
    { kind: 'streamlocal', socketPath },
    { kind: 'exec', via: 'auto', command: autoCommand(uri, socketPath, readOnly, netcat) },
  ]
}
