/**
 * The SASL login on the wire (protocol README section 6), as libvirt's own client runs it:
 *
 *   AUTH_SASL_INIT (67)  -> { mechlist }                 "SCRAM-SHA-256,SCRAM-SHA-1"
 *   AUTH_SASL_START (68) { mech, nil, data } -> { complete, nil, data }
 *   AUTH_SASL_STEP (69)  { nil, data }       -> { complete, nil, data }   until complete = 1
 *
 * `nil` = 1 means "no data" (not the same as empty data). Each data byte is one 4-byte XDR
 * int (a C `char`, signed). The login ends when the daemon says complete *and* our
 * mechanism is done; for SCRAM that means the daemon's signature has been checked, so a
 * peer that claims success without proving it knows the password is refused.
 */
import { ErrorNumber } from '../protocol/generated/flags.gen'
import type { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import type { CallOptions } from '../rpc/caller'
import { VirtError } from '../rpc/errors'
import {
  localUserName,
  resolveCredentials,
  type CredentialsSource,
  type CredentialsRequest,
} from './credentials'
import type { SaslClientMechanism } from './mechanism'
import {
  chooseMechanism,
  createMechanism,
  parseMechanismList,
  transportProtection,
} from './sasl-choice'
import {
  AuthCredentialsRequiredError,
  AuthRefusedError,
  SaslMechanismUnsupportedError,
  SaslProtocolError,
} from './sasl-errors'

/** The three SASL calls (the generated RemoteCalls has them). */
export type SaslCalls = Pick<RemoteCalls, 'authSaslInit' | 'authSaslStart' | 'authSaslStep'>

/** Options of {@link saslLogin}. */
export interface SaslLoginOptions {
  /** The transport's description (`unix:...`, `tls:...`); decides whether PLAIN may be used. */
  target: string
  /** Where the username and password come from. */
  credentials?: CredentialsSource
  /** User name when the credentials give none. Default: the local user's name. */
  defaultUsername?: string
  /** The URI being opened, passed on to a credentials callback. */
  uri?: string
  /** Aborting gives up (also while the credentials callback runs). */
  signal?: AbortSignal
  /** Told how long the credentials callback took, so deadlines can leave that time out. */
  onWaited?: (ms: number) => void
}

/** How the login went. */
export interface SaslLoginResult {
  mechanism: string
  username: string
}

/** More rounds than any mechanism here needs (SCRAM: START + 1 or 2 STEPs). */
const MAX_STEPS = 8

/**
 * Runs a SASL login.
 * @param callOptions fresh call options for each call (the open deadline shrinks)
 * @throws SaslMechanismUnsupportedError, AuthCredentialsRequiredError, AuthRefusedError,
 *   SaslProtocolError, VirtError (other daemon errors), or the abort reason
 */
export async function saslLogin(
  remote: SaslCalls,
  callOptions: () => CallOptions,
  options: SaslLoginOptions,
): Promise<SaslLoginResult> {
  const { mechlist } = await remote.authSaslInit(callOptions())
  const offered = parseMechanismList(mechlist)
  const context = { target: options.target, offered }
  const choice = chooseMechanism(offered, transportProtection(options.target))
  if (!choice.mechanism) throw new SaslMechanismUnsupportedError(context, choice.plainRefused)

  // Looked up only here: getpwuid costs a tenth of an open that needs no login.
  const defaultUsername = options.defaultUsername ?? localUserName()
  const request: CredentialsRequest = {
    mechanisms: offered,
    mechanism: choice.mechanism,
    defaultUsername,
    target: options.target,
    ...(options.uri !== undefined && { uri: options.uri }),
    ...(options.signal && { signal: options.signal }),
  }
  const asked = Date.now()
  const creds = await resolveCredentials(options.credentials, request)
  options.onWaited?.(Date.now() - asked)
  options.signal?.throwIfAborted()
  if (Array.isArray(creds)) {
    throw new AuthCredentialsRequiredError(context, choice.mechanism, defaultUsername, creds)
  }

  const mech = createMechanism(choice.mechanism, creds.username, creds.password)
  const refused = (err: unknown): never => {
    if (err instanceof VirtError && err.code === ErrorNumber.AUTH_FAILED) {
      throw new AuthRefusedError(options.target, mech.name, creds.username, err)
    }
    throw err
  }
  const first = mech.start()
  let reply = await remote
    .authSaslStart({ mech: mech.name, ...toWire(first) }, callOptions())
    .catch(refused)
  for (let steps = 0; ; steps++) {
    const serverData = reply.nil === 1 ? null : fromWire(reply.data)
    const out = await answer(mech, serverData)
    if (reply.complete === 1) {
      if (!mech.complete) {
        throw new SaslProtocolError(
          mech.name,
          'early-complete',
          'the daemon ended the login before proving it knows the password',
        )
      }
      return { mechanism: mech.name, username: creds.username }
    }
    if (steps >= MAX_STEPS) {
      throw new SaslProtocolError(mech.name, 'too-many-steps', 'the login does not end')
    }
    reply = await remote.authSaslStep(toWire(out), callOptions()).catch(refused)
  }
}

/** Feeds the daemon's data to the mechanism; nothing to answer once it is done. */
async function answer(
  mech: SaslClientMechanism,
  serverData: Uint8Array | null,
): Promise<Uint8Array | null> {
  if (serverData === null) return null
  if (mech.complete && serverData.length === 0) return null
  return mech.step(serverData)
}

/** Bytes -> `{ nil, data }` with one signed char per byte. */
export function toWire(bytes: Uint8Array | null): { nil: number; data: number[] } {
  if (bytes === null) return { nil: 1, data: [] }
  return { nil: 0, data: Array.from(bytes, (b) => (b > 127 ? b - 256 : b)) }
}

/** The daemon's chars (signed or not) -> bytes. */
export function fromWire(data: readonly number[]): Uint8Array {
  return Uint8Array.from(data, (c) => c & 0xff)
}
