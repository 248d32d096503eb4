/**
 * Authentication, in the order libvirt's own client uses (protocol README section 6):
 * REMOTE_PROC_AUTH_LIST first, always (without it CONNECT_OPEN fails with "authentication
 * required" even for root), then the first listed method this client can do:
 * - NONE (0): nothing to do;
 * - SASL (1): AUTH_SASL_INIT / START / STEP with SCRAM-SHA-256, SCRAM-SHA-1, or PLAIN on a
 *   private transport (../sasl/sasl-auth.ts); credentials from `ConnectOptions.credentials`;
 * - POLKIT (2): REMOTE_PROC_AUTH_POLKIT, the daemon asks polkitd about our uid (unix
 *   sockets only; a desktop may show a password prompt meanwhile).
 */
import { ErrorLevel, ErrorNumber, ErrorDomain } from '../protocol/generated/flags.gen'
import type { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import { AuthType } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import { AuthUnsupportedError, VirtError } from '../rpc/errors'
import { saslLogin, type SaslLoginOptions } from '../sasl/sasl-auth'

/** How the connection was authenticated. */
export type AuthMethod = 'none' | 'polkit' | 'sasl'

/** What {@link authenticate} did. */
export interface AuthResult {
  method: AuthMethod
  /** The SASL mechanism, e.g. `SCRAM-SHA-256` (SASL only). */
  mechanism?: string
  /** The SASL user name (SASL only). */
  username?: string
}

/**
 * Runs AUTH_LIST and the chosen method.
 * @param options a function giving fresh call options (the deadline shrinks as we go)
 * @param sasl what a SASL login needs (credentials, where the connection goes)
 * @throws AuthUnsupportedError if only methods we cannot do are offered
 * @throws VirtError if the daemon refuses (e.g. polkit denies the uid)
 * @throws what {@link saslLogin} throws
 */
export async function authenticate(
  remote: RemoteCalls,
  options: () => CallOptions,
  sasl: SaslLoginOptions,
): Promise<AuthResult> {
  const { types } = await remote.authList(options())
  if (types.length === 0) return { method: 'none' }
  for (const t of types) {
    if (t === AuthType.NONE) return { method: 'none' }
    if (t === AuthType.SASL) return { method: 'sasl', ...(await saslLogin(remote, options, sasl)) }
    if (t === AuthType.POLKIT) {
      const { complete } = await remote.authPolkit(options())
      if (complete !== 1) {
        throw new VirtError({
          code: ErrorNumber.AUTH_FAILED,
          domain: ErrorDomain.REMOTE,
          message: 'polkit authentication did not complete',
          level: ErrorLevel.ERROR,
          dom: null,
          str1: null,
          str2: null,
          str3: null,
          int1: -1,
          int2: -1,
          net: null,
        })
      }
      return { method: 'polkit' }
    }
  }
  throw new AuthUnsupportedError(types)
}
