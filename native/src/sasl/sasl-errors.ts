/**
 * Typed errors of the SASL login. None of them ever carries the password: messages and
 * details name the user, the mechanism and where the connection goes, nothing more.
 */
import { NativeError, type VirtError } from '../rpc/errors'

/** Where a SASL login happens, shared by the errors below. */
export interface SaslErrorContext {
  /** The transport, e.g. `unix:/var/run/libvirt/libvirt-sock`, `tls:host:16514`. */
  target: string
  /** The mechanisms the daemon offered (AUTH_SASL_INIT), upper case. */
  offered: readonly string[]
}

/**
 * The daemon wants SASL but offers no mechanism this client can use (it does SCRAM-SHA-256,
 * SCRAM-SHA-1, and PLAIN on protected transports; not GSSAPI or DIGEST-MD5).
 */
export class SaslMechanismUnsupportedError extends NativeError {
  override readonly name = 'SaslMechanismUnsupportedError'
  readonly code = 'SASL_MECHANISM_UNSUPPORTED'
  /** The transport the login was tried on. */
  readonly target: string
  /** The mechanisms the daemon offered. */
  readonly offered: readonly string[]
  /** True when PLAIN was offered but refused because the transport is plain TCP. */
  readonly plainRefused: boolean

  /** @param context where, and what the daemon offered */
  constructor(context: SaslErrorContext, plainRefused: boolean) {
    const offered = context.offered.length > 0 ? context.offered.join(', ') : 'none'
    const plain = plainRefused
      ? ' PLAIN is never used over unencrypted TCP, where it would show the password to the network.'
      : ''
    super(
      `The daemon at ${context.target} requires a SASL login with mechanisms this client ` +
        `does not support (offered: ${offered}).${plain} On the host, put ` +
        '"mech_list: scram-sha-256" in /etc/sasl2/libvirt.conf and add users with ' +
        '"saslpasswd2 -a libvirt USER"; or connect over TLS (qemu+tls://) or SSH (qemu+ssh://).',
    )
    this.target = context.target
    this.offered = [...context.offered]
    this.plainRefused = plainRefused
  }

  get details(): Record<string, unknown> {
    return { target: this.target, offered: [...this.offered], plainRefused: this.plainRefused }
  }
}

/** What is missing from the credentials. */
export type MissingCredential = 'username' | 'password'

/**
 * The daemon wants a SASL login and no credentials were given (or the credentials callback
 * gave none). The app can catch this, ask the user, and connect again with `credentials`.
 */
export class AuthCredentialsRequiredError extends NativeError {
  override readonly name = 'AuthCredentialsRequiredError'
  readonly code = 'AUTH_CREDENTIALS_REQUIRED'
  /** The transport the login was tried on. */
  readonly target: string
  /** The mechanisms the daemon offered. */
  readonly offered: readonly string[]
  /** The mechanism this client would use. */
  readonly mechanism: string
  /** The user name that would be used when none is given. */
  readonly defaultUsername: string
  /** What was missing. */
  readonly missing: readonly MissingCredential[]

  /**
   * @param context where, and what the daemon offered
   * @param mechanism the mechanism chosen
   * @param defaultUsername the user name used when the credentials name none
   * @param missing what was missing
   */
  constructor(
    context: SaslErrorContext,
    mechanism: string,
    defaultUsername: string,
    missing: readonly MissingCredential[],
  ) {
    super(
      `The daemon at ${context.target} requires a SASL login (${mechanism}): ` +
        `give a ${missing.join(' and ')} to connect.`,
    )
    this.target = context.target
    this.offered = [...context.offered]
    this.mechanism = mechanism
    this.defaultUsername = defaultUsername
    this.missing = [...missing]
  }

  get details(): Record<string, unknown> {
    return {
      target: this.target,
      offered: [...this.offered],
      mechanism: this.mechanism,
      defaultUsername: this.defaultUsername,
      missing: [...this.missing],
    }
  }
}

/**
 * The daemon refused the SASL login: wrong username or password, an unknown user, or a user
 * not in the daemon's `sasl_allowed_username_list`. The daemon's own error is the `cause`.
 */
export class AuthRefusedError extends NativeError {
  override readonly name = 'AuthRefusedError'
  readonly code = 'AUTH_REFUSED'
  /** The transport the login was tried on. */
  readonly target: string
  /** The mechanism used. */
  readonly mechanism: string
  /** The user name that was refused. */
  readonly username: string
  /** The daemon's message, e.g. "authentication failed: authentication failed". */
  readonly daemonMessage: string

  /**
   * @param target the transport
   * @param mechanism the mechanism used
   * @param username the user name sent
   * @param cause the daemon's error
   */
  constructor(target: string, mechanism: string, username: string, cause: VirtError) {
    super(
      `The daemon at ${target} refused the username or password for "${username}" ` +
        `(${mechanism}; libvirt said: ${cause.message}).`,
      { cause },
    )
    this.target = target
    this.mechanism = mechanism
    this.username = username
    this.daemonMessage = cause.message
  }

  get details(): Record<string, unknown> {
    return {
      target: this.target,
      mechanism: this.mechanism,
      username: this.username,
      daemonMessage: this.daemonMessage,
    }
  }
}

/**
 * The daemon's side of the SASL exchange is wrong: a malformed or unexpected message, or
 * (`reason: 'server-signature'`) a SCRAM server signature that does not match, which means
 * the peer does not know the password: it may not be the daemon it claims to be.
 */
export class SaslProtocolError extends NativeError {
  override readonly name = 'SaslProtocolError'
  readonly code = 'SASL_PROTOCOL'

  /**
   * @param mechanism the mechanism in use
   * @param reason a short word for programs: 'server-signature', 'malformed', 'early-complete' ...
   * @param message what is wrong, for people
   */
  constructor(
    readonly mechanism: string,
    readonly reason: string,
    message: string,
  ) {
    super(`SASL ${mechanism}: ${message}`)
  }

  get details(): Record<string, unknown> {
    return { mechanism: this.mechanism, reason: this.reason }
  }
}

/** The daemon wants a login the app must ask the user for. */
export const isCredentialsRequired = (err: unknown): err is AuthCredentialsRequiredError =>
  err instanceof AuthCredentialsRequiredError
/** The daemon refused the username or password. */
export const isAuthRefused = (err: unknown): err is AuthRefusedError =>
  err instanceof AuthRefusedError
