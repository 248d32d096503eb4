/**
 * SASL logins against real, private libvirtds (test/sasl-daemon.ts: each runs as nobody with
 * its own Cyrus SASL config and sasldb; the shared test-host daemons are never touched).
 * The driver opened through them is test:///default, whose one domain is "test".
 */
import { rmSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../src/api/connection'
import { connectUri } from '../../src/api/open-uri'
import { ErrorNumber } from '../../src/protocol/generated/flags.gen'
import { VirtError } from '../../src/rpc/errors'
import type { CredentialsRequest } from '../../src/sasl/credentials'
import { localUserName } from '../../src/sasl/credentials'
import {
  AuthCredentialsRequiredError,
  AuthRefusedError,
  SaslMechanismUnsupportedError,
} from '../../src/sasl/sasl-errors'
import { startSaslDaemon, type SaslDaemon } from '../sasl-daemon'

/** Non-ASCII on purpose: the daemon (Cyrus) hashes it as UTF-8 without SASLprep, as we do. */
const PASSWORD = 'Pässwort-✓-42'
const USERS = { alice: PASSWORD }

const unixUri = (d: SaslDaemon): string => `test+unix:///default?socket=${d.socketPath}`

async function domainNames(conn: Connection): Promise<string[]> {
  return (await conn.listAllDomains()).map((d) => d.name)
}

async function openError(uri: string, options: Parameters<typeof connectUri>[1] = {}) {
  return connectUri(uri, { timeoutMs: 10_000, ...options }).then(
    async (conn) => {
      await conn.close()
      throw new Error('the connection opened')
    },
    (e: unknown) => e,
  )
}

describe('SASL against private libvirtds', () => {
  let main: SaslDaemon // scram-sha-256 + scram-sha-1 + digest-md5; unix, TLS and plain TCP
  let sha1: SaslDaemon // scram-sha-1 only
  let plain: SaslDaemon // plain only
  let digest: SaslDaemon // digest-md5 only
  const daemons = (): (SaslDaemon | undefined)[] => [main, sha1, plain, digest]

  beforeAll(async () => {
    ;[main, sha1, plain, digest] = await Promise.all([
      startSaslDaemon({
        name: 'sasl-main',
        mechanisms: ['scram-sha-256', 'scram-sha-1', 'digest-md5'],
        users: USERS,
        network: true,
      }),
      startSaslDaemon({ name: 'sasl-sha1', mechanisms: ['scram-sha-1'], users: USERS }),
      startSaslDaemon({ name: 'sasl-plain', mechanisms: ['plain'], users: USERS }),
      startSaslDaemon({ name: 'sasl-digest', mechanisms: ['digest-md5'], users: USERS }),
    ])
  })

  afterAll(async () => {
    await Promise.all(daemons().map((d) => d?.stop()))
    for (const d of daemons()) if (d) rmSync(d.dir, { recursive: true, force: true })
  })

  it('the right password logs in with SCRAM-SHA-256 and lists domains', async () => {
    const conn = await connectUri(unixUri(main), {
      credentials: { username: 'alice', password: PASSWORD },
    })
    try {
      expect(conn.authMethod).toBe('sasl')
      expect(conn.saslLogin).toEqual({ mechanism: 'SCRAM-SHA-256', username: 'alice' })
      expect(await domainNames(conn)).toEqual(['test'])
    } finally {
      await conn.close()
    }
  })

  it('a credentials callback is asked (without secrets) and its answer used', async () => {
    const requests: CredentialsRequest[] = []
    const uri = unixUri(main)
    const conn = await connectUri(uri, {
      credentials: (request) => {
        requests.push(request)
        return Promise.resolve({ username: 'alice', password: PASSWORD })
      },
    })
    try {
      expect(await domainNames(conn)).toEqual(['test'])
    } finally {
      await conn.close()
    }
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'DIGEST-MD5'],
      mechanism: 'SCRAM-SHA-256',
      defaultUsername: localUserName(),
      target: `unix:${main.socketPath}`,
      uri,
    })
  })

  it('time the user spends in the callback does not count against timeoutMs', async () => {
    const conn = await connectUri(unixUri(main), {
      timeoutMs: 1000,
      credentials: async () => {
        await sleep(1500)
        return { username: 'alice', password: PASSWORD }
      },
    })
    try {
      expect(conn.authMethod).toBe('sasl')
    } finally {
      await conn.close()
    }
  })

  it('aborting while the callback runs rejects with the abort reason', async () => {
    const ac = new AbortController()
    const err = await openError(unixUri(main), {
      signal: ac.signal,
      credentials: async (request) => {
        expect(request.signal).toBe(ac.signal)
        ac.abort(new Error('user closed the dialog'))
        await sleep(10)
        return { username: 'alice', password: PASSWORD }
      },
    })
    expect((err as Error).message).toBe('user closed the dialog')
  })

  it('a wrong password is refused with AuthRefusedError naming the user, not the password', async () => {
    const err = await openError(unixUri(main), {
      credentials: { username: 'alice', password: 'not-the-password' },
    })
    expect(err).toBeInstanceOf(AuthRefusedError)
    const refused = err as AuthRefusedError
    expect(refused.message).toContain('refused the username or password for "alice"')
    expect(refused.mechanism).toBe('SCRAM-SHA-256')
    expect(refused.cause).toBeInstanceOf(VirtError)
    expect((refused.cause as VirtError).code).toBe(ErrorNumber.AUTH_FAILED)
    expect(refused.message).toContain((refused.cause as VirtError).message)
    expect(JSON.stringify(refused.toJSON())).not.toContain('not-the-password')
    console.log(`wrong password: ${refused.message}`)
  })

  it('an unknown user is refused the same way', async () => {
    const err = await openError(unixUri(main), {
      credentials: { username: 'mallory', password: PASSWORD },
    })
    expect(err).toBeInstanceOf(AuthRefusedError)
    expect((err as AuthRefusedError).username).toBe('mallory')
  })

  it('no credentials give AuthCredentialsRequiredError the app can prompt from', async () => {
    const err = await openError(unixUri(main))
    expect(err).toBeInstanceOf(AuthCredentialsRequiredError)
    const e = err as AuthCredentialsRequiredError
    expect(e.missing).toEqual(['password'])
    expect(e.mechanism).toBe('SCRAM-SHA-256')
    expect(e.defaultUsername).toBe(localUserName())
    expect(e.offered).toContain('SCRAM-SHA-256')
    // A callback that gives nothing (the user cancelled) ends the same way.
    const cancelled = await openError(unixUri(main), {
      credentials: () => Promise.resolve(undefined),
    })
    expect(cancelled).toBeInstanceOf(AuthCredentialsRequiredError)
  })

  it('over TLS, SCRAM-SHA-256 logs in as the URI user', async () => {
    const uri = `test+tls://alice@127.0.0.1:${main.tlsPort}/default?pkipath=${main.pkiDir}`
    const conn = await connectUri(uri, { credentials: { password: PASSWORD } })
    try {
      expect(conn.transport.description).toBe(`tls:127.0.0.1:${main.tlsPort}`)
      expect(conn.saslLogin).toEqual({ mechanism: 'SCRAM-SHA-256', username: 'alice' })
      expect(await domainNames(conn)).toEqual(['test'])
    } finally {
      await conn.close()
    }
  })

  it('over plain TCP the daemon offers only what needs a security layer: a clear error', async () => {
    const err = await openError(`test+tcp://127.0.0.1:${main.tcpPort}/default`, {
      credentials: { username: 'alice', password: PASSWORD },
    })
    expect(err).toBeInstanceOf(SaslMechanismUnsupportedError)
    const e = err as SaslMechanismUnsupportedError
    expect(e.offered).toContain('DIGEST-MD5')
    expect(e.offered).not.toContain('SCRAM-SHA-256')
    expect(e.message).toContain('mech_list: scram-sha-256')
    expect(e.message).toContain('qemu+tls://')
    console.log(`plain TCP: ${e.message}`)
  })

  it('a daemon offering only DIGEST-MD5 gives SaslMechanismUnsupportedError', async () => {
    const err = await openError(unixUri(digest), {
      credentials: { username: 'alice', password: PASSWORD },
    })
    expect(err).toBeInstanceOf(SaslMechanismUnsupportedError)
    expect((err as SaslMechanismUnsupportedError).offered).toEqual(['DIGEST-MD5'])
    expect((err as Error).message).toContain('offered: DIGEST-MD5')
  })

  it('SCRAM-SHA-1 logs in when it is all the daemon offers', async () => {
    const conn = await connectUri(unixUri(sha1), {
      credentials: { username: 'alice', password: PASSWORD },
    })
    try {
      expect(conn.saslLogin).toEqual({ mechanism: 'SCRAM-SHA-1', username: 'alice' })
      expect(await domainNames(conn)).toEqual(['test'])
    } finally {
      await conn.close()
    }
    const err = await openError(unixUri(sha1), {
      credentials: { username: 'alice', password: 'wrong' },
    })
    expect(err).toBeInstanceOf(AuthRefusedError)
  })

  it('PLAIN logs in on a unix socket, and a wrong password is refused', async () => {
    const conn = await connectUri(unixUri(plain), {
      credentials: { username: 'alice', password: PASSWORD },
    })
    try {
      expect(conn.saslLogin).toEqual({ mechanism: 'PLAIN', username: 'alice' })
      expect(await domainNames(conn)).toEqual(['test'])
    } finally {
      await conn.close()
    }
    const err = await openError(unixUri(plain), {
      credentials: { username: 'alice', password: 'wrong' },
    })
    expect(err).toBeInstanceOf(AuthRefusedError)
  })
})
