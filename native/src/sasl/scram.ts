/**
 * SCRAM-SHA-256 (RFC 7677) and SCRAM-SHA-1 (RFC 5802), client side, without channel
 * binding (gs2 header `n,,`) and without an authorization identity.
 *
 *   client-first  n,,n=USER,r=CNONCE
 *   server-first  r=CNONCE+SNONCE,s=BASE64(SALT),i=ITERATIONS
 *   client-final  c=biws,r=CNONCE+SNONCE,p=BASE64(ClientKey XOR ClientSignature)
 *   server-final  v=BASE64(ServerSignature)          (or e=ERROR)
 *
 * The password goes into PBKDF2 as its UTF-8 bytes, without SASLprep: libvirtd's SASL
 * library (Cyrus) hashes the stored password as it is, so preparing it here would lock out
 * users whose password SASLprep changes. For ASCII passwords the two are the same.
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { SaslClientMechanism } from './mechanism'
import { SaslProtocolError } from './sasl-errors'

const pbkdf2Async = promisify(pbkdf2)

/** The SCRAM hash functions this client does. */
export type ScramHash = 'SHA-256' | 'SHA-1'

const DIGESTS: Record<ScramHash, { node: string; bytes: number }> = {
  'SHA-256': { node: 'sha256', bytes: 32 },
  'SHA-1': { node: 'sha1', bytes: 20 },
}

/** GS2 header: no channel binding, no authorization identity. base64 of it is `biws`. */
const GS2_HEADER = 'n,,'
/** A daemon asking for more PBKDF2 rounds than this is refused (a CPU-burning peer). */
export const MAX_SCRAM_ITERATIONS = 10_000_000

/** Options of {@link ScramClient}. */
export interface ScramOptions {
  hash: ScramHash
  username: string
  password: string
  /** The client nonce; random by default (tests pass the RFC's). Printable, no comma. */
  nonce?: string
}

type State = 'initial' | 'sent-first' | 'sent-final' | 'complete' | 'failed'

/** One SCRAM login. Use each instance once. */
export class ScramClient implements SaslClientMechanism {
  /** `SCRAM-SHA-256` or `SCRAM-SHA-1`. */
  readonly name: string
  private readonly digest: { node: string; bytes: number }
  private readonly clientFirstBare: string
  private readonly clientNonce: string
  private password: Buffer
  private state: State = 'initial'
  private expectedServerSignature: Buffer | undefined

  /** @throws TypeError for an empty user name or password, or a bad nonce */
  constructor(options: ScramOptions) {
    if (options.username === '') throw new TypeError('SCRAM: the user name is empty')
    if (options.password === '') throw new TypeError('SCRAM: the password is empty')
    this.name = `SCRAM-${options.hash}`
    this.digest = DIGESTS[options.hash]
    this.clientNonce = options.nonce ?? randomBytes(24).toString('base64')
    if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(this.clientNonce)) {
      throw new TypeError('SCRAM: the nonce must be printable ASCII without commas')
    }
    this.clientFirstBare = `n=${escapeSaslName(options.username)},r=${this.clientNonce}`
    this.password = Buffer.from(options.password, 'utf8')
  }

  get complete(): boolean {
    return this.state === 'complete'
  }

  /** The client-first message. */
  start(): Uint8Array {
    this.expectState('initial', 'start')
    this.state = 'sent-first'
    return Buffer.from(GS2_HEADER + this.clientFirstBare, 'utf8')
  }

  /** server-first -> client-final; server-final -> null (after checking the signature). */
  async step(challenge: Uint8Array): Promise<Uint8Array | null> {
    const text = Buffer.from(challenge).toString('utf8')
    try {
      if (this.state === 'sent-first') return await this.answerServerFirst(text)
      if (this.state === 'sent-final') {
        this.checkServerFinal(text)
        return null
      }
      throw this.fail('unexpected', `no server message expected now (state ${this.state})`)
    } catch (err) {
      this.state = 'failed'
      this.forgetPassword()
      throw err
    }
  }

  private async answerServerFirst(serverFirst: string): Promise<Uint8Array> {
    // server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," ext]
    const attrs = parseAttributes(serverFirst, this.name)
    if (attrs.has('m')) throw this.fail('malformed', 'the server asks for an unknown extension')
    if (attrs.has('e')) throw this.fail('server-error', `the server said: ${attrs.get('e')}`)
    const nonce = attrs.get('r')
    const saltText = attrs.get('s')
    const iterText = attrs.get('i')
    if (nonce === undefined || saltText === undefined || iterText === undefined) {
      throw this.fail('malformed', 'the server-first message lacks r=, s= or i=')
    }
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
      throw this.fail('malformed', 'the server nonce does not extend ours')
    }
    const salt = Buffer.from(saltText, 'base64')
    if (salt.length === 0 || salt.toString('base64') !== saltText) {
      throw this.fail('malformed', 'the salt is not base64')
    }
    const iterations = /^[1-9][0-9]{0,9}$/.test(iterText) ? Number(iterText) : NaN
    if (!(iterations <= MAX_SCRAM_ITERATIONS)) {
      throw this.fail('malformed', `bad iteration count "${iterText}"`)
    }

    const { node, bytes } = this.digest
    const saltedPassword = await pbkdf2Async(this.password, salt, iterations, bytes, node)
    this.forgetPassword()
    const clientKey = hmac(node, saltedPassword, 'Client Key')
    const storedKey = createHash(node).update(clientKey).digest()
    const withoutProof = `c=${Buffer.from(GS2_HEADER).toString('base64')},r=${nonce}`
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`
    const clientSignature = hmac(node, storedKey, authMessage)
    const proof = Buffer.alloc(bytes)
    for (let i = 0; i < bytes; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!
    const serverKey = hmac(node, saltedPassword, 'Server Key')
    this.expectedServerSignature = hmac(node, serverKey, authMessage)
    this.state = 'sent-final'
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8')
  }

  private checkServerFinal(serverFinal: string): void {
    // server-final-message = (server-error / verifier) ["," extensions]
    const attrs = parseAttributes(serverFinal, this.name)
    if (attrs.has('e')) throw this.fail('server-error', `the server said: ${attrs.get('e')}`)
    const verifier = attrs.get('v')
    if (verifier === undefined) throw this.fail('malformed', 'the server-final message lacks v=')
    const got = Buffer.from(verifier, 'base64')
    const expected = this.expectedServerSignature!
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      throw this.fail(
        'server-signature',
        'the server signature is wrong: the peer does not know the password, so it may not ' +
          'be the daemon it claims to be',
      )
    }
    this.state = 'complete'
  }

  private expectState(state: State, what: string): void {
    if (this.state !== state) throw this.fail('unexpected', `${what} called in state ${this.state}`)
  }

  private fail(reason: string, message: string): SaslProtocolError {
    return new SaslProtocolError(this.name, reason, message)
  }

  private forgetPassword(): void {
    this.password.fill(0)
    this.password = Buffer.alloc(0)
  }
}

/** RFC 5802 saslname: `=` -> `=3D`, `,` -> `=2C`. */
export function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C')
}

function hmac(digest: string, key: Buffer, text: string): Buffer {
  return createHmac(digest, key).update(text, 'utf8').digest()
}

/** `a=1,b=2` -> Map; attribute names are single letters, values may contain `=`. */
function parseAttributes(message: string, mechanism: string): Map<string, string> {
  const attrs = new Map<string, string>()
  for (const part of message.split(',')) {
    if (!/^[a-zA-Z]=/.test(part)) {
      throw new SaslProtocolError(mechanism, 'malformed', `cannot parse the server message`)
    }
    const name = part[0]!
    if (!attrs.has(name)) attrs.set(name, part.slice(2))
  }
  return attrs
}
