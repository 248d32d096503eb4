/**
 * PLAIN (RFC 4616): one message, `authzid NUL authcid NUL password`, with an empty authzid.
 * It shows the password to whoever reads the stream, so sasl-choice.ts only picks it on a
 * unix socket (also through SSH) or TLS, never on plain TCP.
 */
import type { SaslClientMechanism } from './mechanism'
import { SaslProtocolError } from './sasl-errors'

/** One PLAIN login. */
export class PlainClient implements SaslClientMechanism {
  readonly name = 'PLAIN'
  private message: Buffer | undefined
  private sent = false

  /** @throws TypeError for an empty user name or password, or one with a NUL */
  constructor(username: string, password: string) {
    if (username === '' || password === '') throw new TypeError('PLAIN: empty user or password')
    if (username.includes('\0') || password.includes('\0')) {
      throw new TypeError('PLAIN: the user name and password may not contain NUL')
    }
    this.message = Buffer.from(`\0${username}\0${password}`, 'utf8')
  }

  get complete(): boolean {
    return this.sent
  }

  /** The only message; the buffer is handed over and not kept. */
  start(): Uint8Array {
    const m = this.message
    if (!m || this.sent) throw new SaslProtocolError(this.name, 'unexpected', 'already sent')
    this.sent = true
    this.message = undefined
    return m
  }

  /** PLAIN has no challenges; an empty one (some servers send it) is answered with nothing. */
  step(challenge: Uint8Array): Promise<Uint8Array | null> {
    if (challenge.length === 0) return Promise.resolve(null)
    return Promise.reject(
      new SaslProtocolError(this.name, 'unexpected', 'the server sent a challenge to PLAIN'),
    )
  }
}
