import { describe, expect, it } from 'vitest'
import { escapeSaslName, ScramClient, type ScramHash } from './scram'
import { SaslProtocolError } from './sasl-errors'

const text = (b: Uint8Array | null): string | null => (b ? Buffer.from(b).toString('utf8') : null)
const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8')

/** The example exchanges of RFC 5802 section 5 (SHA-1) and RFC 7677 section 3 (SHA-256). */
const VECTORS: {
  hash: ScramHash
  nonce: string
  clientFirst: string
  serverFirst: string
  clientFinal: string
  serverFinal: string
}[] = [
  {
    hash: 'SHA-1',
    nonce: 'fyko+d2lbbFgONRv9qkxdawL',
    clientFirst: 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL',
    serverFirst: 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096',
    clientFinal:
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    serverFinal: 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=',
  },
  {
    hash: 'SHA-256',
    nonce: 'rOprNGfwEbeRWgbNEkqO',
    clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
    serverFirst:
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    clientFinal:
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,' +
      'p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
  },
]

function rfcClient(v: (typeof VECTORS)[number]): ScramClient {
  return new ScramClient({ hash: v.hash, username: 'user', password: 'pencil', nonce: v.nonce })
}

describe('ScramClient against the RFC test vectors', () => {
  for (const v of VECTORS) {
    it(`SCRAM-${v.hash}: every message matches and the server signature verifies`, async () => {
      const c = rfcClient(v)
      expect(c.name).toBe(`SCRAM-${v.hash}`)
      expect(text(c.start())).toBe(v.clientFirst)
      expect(c.complete).toBe(false)
      expect(text(await c.step(bytes(v.serverFirst)))).toBe(v.clientFinal)
      expect(c.complete).toBe(false)
      expect(await c.step(bytes(v.serverFinal))).toBeNull()
      expect(c.complete).toBe(true)
    })

    it(`SCRAM-${v.hash}: a server signature one bit off is refused as server-signature`, async () => {
      const c = rfcClient(v)
      c.start()
      await c.step(bytes(v.serverFirst))
      const sig = Buffer.from(v.serverFinal.slice(2), 'base64')
      sig[0]! ^= 1
      const err = await c.step(bytes(`v=${sig.toString('base64')}`)).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SaslProtocolError)
      expect((err as SaslProtocolError).reason).toBe('server-signature')
      expect(c.complete).toBe(false)
    })
  }

  it('a wrong password gives a different proof than the RFC one', async () => {
    const v = VECTORS[1]!
    const c = new ScramClient({
      hash: v.hash,
      username: 'user',
      password: 'pencil2',
      nonce: v.nonce,
    })
    c.start()
    expect(text(await c.step(bytes(v.serverFirst)))).not.toBe(v.clientFinal)
  })
})

describe('ScramClient refuses bad server messages', () => {
  const v = VECTORS[1]!
  const afterFirst = (): ScramClient => {
    const c = rfcClient(v)
    c.start()
    return c
  }
  const reasonOf = async (c: ScramClient, msg: string): Promise<string> => {
    const err = await c.step(bytes(msg)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SaslProtocolError)
    return (err as SaslProtocolError).reason
  }

  it('a nonce that does not extend ours', async () => {
    expect(await reasonOf(afterFirst(), 'r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toBe(
      'malformed',
    )
    expect(await reasonOf(afterFirst(), `r=${v.nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`)).toBe(
      'malformed',
    )
  })

  it('a mandatory extension, a missing salt, bad iteration counts, garbage', async () => {
    const r = `r=${v.nonce}xyz`
    expect(await reasonOf(afterFirst(), `m=ext,${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`)).toBe(
      'malformed',
    )
    expect(await reasonOf(afterFirst(), `${r},i=4096`)).toBe('malformed')
    expect(await reasonOf(afterFirst(), `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0`)).toBe('malformed')
    expect(await reasonOf(afterFirst(), `${r},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999`)).toBe(
      'malformed',
    )
    expect(await reasonOf(afterFirst(), `${r},s=***,i=4096`)).toBe('malformed')
    expect(await reasonOf(afterFirst(), 'hello')).toBe('malformed')
  })

  it('a server error (e=) at either step', async () => {
    expect(await reasonOf(afterFirst(), 'e=unknown-user')).toBe('server-error')
    const c = afterFirst()
    await c.step(bytes(v.serverFirst))
    expect(await reasonOf(c, 'e=invalid-proof')).toBe('server-error')
  })

  it('a message after completion, and start() twice', async () => {
    const c = rfcClient(v)
    expect(() => c.start()).not.toThrow()
    expect(() => c.start()).toThrow(SaslProtocolError)
    await c.step(bytes(v.serverFirst))
    await c.step(bytes(v.serverFinal))
    expect(await reasonOf(c, v.serverFinal)).toBe('unexpected')
  })

  it('error messages never contain the password', async () => {
    const c = new ScramClient({ hash: 'SHA-256', username: 'u', password: 'hunter2-secret' })
    c.start()
    const err = (await c.step(bytes('e=hunter2')).catch((e: unknown) => e)) as Error
    expect(JSON.stringify((err as SaslProtocolError).toJSON())).not.toContain('hunter2-secret')
  })
})

describe('ScramClient input', () => {
  it('escapes , and = in the user name (RFC 5802 saslname)', () => {
    expect(escapeSaslName('a,b=c')).toBe('a=2Cb=3Dc')
    const c = new ScramClient({ hash: 'SHA-1', username: 'a,b=c', password: 'p', nonce: 'abc' })
    expect(text(c.start())).toBe('n,,n=a=2Cb=3Dc,r=abc')
  })

  it('makes a fresh random nonce per login', () => {
    const first = (): string =>
      text(new ScramClient({ hash: 'SHA-256', username: 'u', password: 'p' }).start())!
    const [a, b] = [first(), first()]
    expect(a).toMatch(/^n,,n=u,r=[A-Za-z0-9+/=]{32}$/)
    expect(a).not.toBe(b)
  })

  it('refuses an empty user or password and a nonce with a comma', () => {
    expect(() => new ScramClient({ hash: 'SHA-1', username: '', password: 'p' })).toThrow(TypeError)
    expect(() => new ScramClient({ hash: 'SHA-1', username: 'u', password: '' })).toThrow(TypeError)
    expect(
      () => new ScramClient({ hash: 'SHA-1', username: 'u', password: 'p', nonce: 'a,b' }),
    ).toThrow(TypeError)
  })
})
