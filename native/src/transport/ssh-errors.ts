/**
 * Typed errors of the SSH transport. Each says what to do about it: which authentication
 * methods were tried, which known_hosts line disagrees with the server's key, why the host
 * could not be reached.
 */
import { NativeError } from '../rpc/errors'

/** The SSH server could not be reached or the SSH handshake failed (before authentication). */
export class SshConnectError extends NativeError {
  override readonly name = 'SshConnectError'
  readonly code = 'SSH_CONNECT'

  /**
   * @param target `user@host:port`
   * @param reason what went wrong, in words
   * @param cause the underlying error (ECONNREFUSED, ENOTFOUND, a handshake error ...)
   */
  constructor(
    readonly target: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`cannot reach ${target} over SSH: ${reason}`, cause === undefined ? undefined : { cause })
  }

  get details(): Record<string, unknown> {
    const errno = (this.cause as { code?: unknown } | undefined)?.code
    return { target: this.target, reason: this.reason, errno }
  }
}

/** Every authentication method we could offer was refused by the SSH server. */
export class SshAuthError extends NativeError {
  override readonly name = 'SshAuthError'
  readonly code = 'SSH_AUTH'

  /**
   * @param target `user@host:port`
   * @param tried what was offered, in order, e.g. `publickey (/home/me/.ssh/id_ed25519)`, `agent`
   * @param allowed the methods the server said it accepts, when it said
   * @param notes why some candidates were not offered (encrypted key without passphrase ...)
   */
  constructor(
    readonly target: string,
    readonly tried: readonly string[],
    readonly allowed: readonly string[] = [],
    readonly notes: readonly string[] = [],
  ) {
    const triedText = tried.length > 0 ? tried.join(', ') : 'nothing (no key, agent or password)'
    const allowedText = allowed.length > 0 ? `; the server accepts: ${allowed.join(', ')}` : ''
    const notesText = notes.length > 0 ? `; ${notes.join('; ')}` : ''
    super(`SSH authentication to ${target} failed: tried ${triedText}${allowedText}${notesText}`)
  }

  get details(): Record<string, unknown> {
    return {
      target: this.target,
      tried: [...this.tried],
      allowed: [...this.allowed],
      notes: [...this.notes],
    }
  }
}

/** Where a known_hosts file disagrees with (or revokes) the key the server showed. */
export interface KnownHostsLineRef {
  /** The known_hosts file. */
  file: string
  /** 1-based line number. */
  line: number
  /** The line as written. */
  text: string
}

/**
 * The server's host key is not the one known_hosts records for that host (or the key is
 * marked `@revoked`). Always refused: it may be a man-in-the-middle. The user must fix the
 * known_hosts line by hand (e.g. `ssh-keygen -R host`) if the key really changed.
 */
export class HostKeyMismatchError extends NativeError {
  override readonly name = 'HostKeyMismatchError'
  readonly code = 'HOST_KEY_MISMATCH'

  /**
   * @param host the name looked up (`host` or `[host]:port`)
   * @param keyType the server key's type, e.g. ssh-ed25519
   * @param fingerprint the server key's fingerprint, `SHA256:base64`
   * @param known the known_hosts line(s) that disagree
   * @param revoked whether the key is marked @revoked rather than different
   */
  constructor(
    readonly host: string,
    readonly keyType: string,
    readonly fingerprint: string,
    readonly known: readonly KnownHostsLineRef[],
    readonly revoked = false,
  ) {
    const first = known[0]
    const where = first ? `${first.file}:${first.line} (${first.text})` : 'known_hosts'
    super(
      revoked
        ? `the SSH host key of ${host} (${keyType} ${fingerprint}) is marked @revoked in ${where}; refusing to connect`
        : `the SSH host key of ${host} has CHANGED: the server shows ${keyType} ${fingerprint}, ` +
            `but ${where} records another key. This could be a man-in-the-middle attack; if the ` +
            `key really changed, remove that line (ssh-keygen -R '${host}') and connect again`,
    )
  }

  get details(): Record<string, unknown> {
    return {
      host: this.host,
      keyType: this.keyType,
      fingerprint: this.fingerprint,
      known: this.known.map((k) => ({ ...k })),
      revoked: this.revoked,
    }
  }
}

/** The server's host key is not in known_hosts and the host key policy refused it. */
export class HostKeyUnknownError extends NativeError {
  override readonly name = 'HostKeyUnknownError'
  readonly code = 'HOST_KEY_UNKNOWN'

  /**
   * @param host the name looked up (`host` or `[host]:port`)
   * @param keyType the server key's type
   * @param fingerprint `SHA256:base64`
   * @param knownHostsFile the file that was searched (and where an accepted key is saved)
   */
  constructor(
    readonly host: string,
    readonly keyType: string,
    readonly fingerprint: string,
    readonly knownHostsFile: string,
  ) {
    super(
      `the SSH host key of ${host} (${keyType} ${fingerprint}) is not in ${knownHostsFile} and was not accepted`,
    )
  }

  get details(): Record<string, unknown> {
    return {
      host: this.host,
      keyType: this.keyType,
      fingerprint: this.fingerprint,
      knownHostsFile: this.knownHostsFile,
    }
  }
}
