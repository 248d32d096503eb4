/**
 * Which SASL mechanism to use, given what the daemon offers and what the transport
 * protects. Preference: SCRAM-SHA-256, SCRAM-SHA-1, then PLAIN, and PLAIN only where the
 * stream is private (a unix socket, also one reached through SSH, or TLS).
 *
 * GSSAPI and DIGEST-MD5 are not done: GSSAPI needs Kerberos, and libvirtd insists on a SASL
 * security layer (DIGEST-MD5 auth-int/auth-conf) on plain TCP, which would wrap every later
 * byte of the connection.
 */
import type { SaslClientMechanism } from './mechanism'
import { PlainClient } from './plain'
import { ScramClient } from './scram'

/** The mechanisms this client does, best first. */
export const SUPPORTED_SASL_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN'] as const

/** One of {@link SUPPORTED_SASL_MECHANISMS}. */
export type SupportedSaslMechanism = (typeof SUPPORTED_SASL_MECHANISMS)[number]

/**
 * How private the byte stream is: `local` (unix socket, or a unix socket reached through
 * SSH), `encrypted` (TLS), `none` (plain TCP, or a transport we do not know).
 */
export type TransportProtection = 'local' | 'encrypted' | 'none'

/** The protection of a transport, from its description (`unix:`, `ssh:`, `tls:`, `tcp:`). */
export function transportProtection(description: string): TransportProtection {
  if (description.startsWith('unix:') || description.startsWith('ssh:')) return 'local'
  if (description.startsWith('tls:')) return 'encrypted'
  return 'none'
}

/** AUTH_SASL_INIT's `mechlist` ("SCRAM-SHA-256,PLAIN") as upper-case names. */
export function parseMechanismList(mechlist: string): string[] {
  return mechlist
    .split(/[\s,]+/)
    .filter((m) => m !== '')
    .map((m) => m.toUpperCase())
}

/** What {@link chooseMechanism} decided. */
export interface MechanismChoice {
  /** The mechanism to use, or undefined when none of the offered ones will do. */
  mechanism: SupportedSaslMechanism | undefined
  /** PLAIN was offered but not taken because the transport is not private. */
  plainRefused: boolean
}

/** Picks the best offered mechanism this client may use on this transport. */
export function chooseMechanism(
  offered: readonly string[],
  protection: TransportProtection,
): MechanismChoice {
  const plainAllowed = protection !== 'none'
  for (const m of SUPPORTED_SASL_MECHANISMS) {
    if (!offered.includes(m)) continue
    if (m === 'PLAIN' && !plainAllowed) continue
    return { mechanism: m, plainRefused: false }
  }
  return { mechanism: undefined, plainRefused: offered.includes('PLAIN') && !plainAllowed }
}

/** A fresh client for one login with `mechanism`. */
export function createMechanism(
  mechanism: SupportedSaslMechanism,
  username: string,
  password: string,
): SaslClientMechanism {
  switch (mechanism) {
    case 'SCRAM-SHA-256':
      return new ScramClient({ hash: 'SHA-256', username, password })
    case 'SCRAM-SHA-1':
      return new ScramClient({ hash: 'SHA-1', username, password })
    case 'PLAIN':
      return new PlainClient(username, password)
  }
}
