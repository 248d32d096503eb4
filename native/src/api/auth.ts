/**
 * Authentication, in the order libvirt's own client uses (protocol README section 6):
 * REMOTE_PROC_AUTH_LIST first, always (without it CONNECT_OPEN fails with "authentication
 * required" even for root), then the first listed method this client can do:
 * - NONE (0): nothing to do;
 * - POLKIT (2): REMOTE_PROC_AUTH_POLKIT, the daemon asks polkitd about our uid (unix
 *   sockets only; a desktop may show a password prompt meanwhile);
 * - SASL (1): not implemented yet -> AuthUnsupportedError naming what was offered.
 */
import { ErrorLevel, ErrorNumber, ErrorDomain } from '../protocol/generated/flags.gen'
import type { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import { AuthType } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import { AuthUnsupportedError, VirtError } from '../rpc/errors'

/** How the connection was authenticated. */
export type AuthMethod = 'none' | 'polkit'

/**
 * Runs AUTH_LIST and the chosen method.
 * @param options a function giving fresh call options (the deadline shrinks as we go)
 * @returns the method used
 * @throws AuthUnsupportedError if only methods we cannot do are offered
 * @throws VirtError if the daemon refuses (e.g. polkit denies the uid)
 */
export async function authenticate(
  remote: RemoteCalls,
  options: () => CallOptions,
): Promise<AuthMethod> {
  const { types } = await remote.authList(options())
  if (types.length === 0) return 'none'
  for (const t of types) {
    if (t === AuthType.NONE) return 'none'
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
      return 'polkit'
    }
  }
  throw new AuthUnsupportedError(types)
}
