/**
 * Where a SASL login's username and password come from: fixed values, or a callback the app
 * answers (for example by showing a login dialog) once the daemon has said it wants SASL.
 */
import { userInfo } from 'node:os'
import type { MissingCredential } from './sasl-errors'

/** A username and password for a SASL login. A missing username means the default one. */
export interface Credentials {
  username?: string
  password?: string
}

/** What a credentials callback is told. Contains nothing secret. */
export interface CredentialsRequest {
  /** The mechanisms the daemon offered, e.g. `['SCRAM-SHA-256', 'GSSAPI']`. */
  mechanisms: readonly string[]
  /** The one this client will use. */
  mechanism: string
  /** The user name used when the answer names none: the URI's user, else the local user. */
  defaultUsername: string
  /** Where the connection goes, e.g. `tls:host:16514`. */
  target: string
  /** The URI being opened, when the connection was opened from one. */
  uri?: string
  /** Aborted when the caller gives up on the open: close the dialog then. */
  signal?: AbortSignal
}

/**
 * Fixed credentials, or a callback asked once per login; resolving to undefined (or to no
 * password) means the user gave none, and the open fails with AuthCredentialsRequiredError.
 */
export type CredentialsSource =
  Credentials | ((request: CredentialsRequest) => Promise<Credentials | undefined>)

/** A username and password, both present. */
export interface ResolvedCredentials {
  username: string
  password: string
}

/** The local user's name ('' when the system cannot say). */
export function localUserName(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? ''
  }
}

/**
 * Asks the source for credentials.
 * @returns the credentials, or what is missing
 */
export async function resolveCredentials(
  source: CredentialsSource | undefined,
  request: CredentialsRequest,
): Promise<ResolvedCredentials | MissingCredential[]> {
  const given = typeof source === 'function' ? await source(request) : source
  const username = given?.username ?? request.defaultUsername
  const password = given?.password
  const missing: MissingCredential[] = []
  if (username === '') missing.push('username')
  if (password === undefined || password === '') missing.push('password')
  if (missing.length > 0 || password === undefined) return missing
  return { username, password }
}
