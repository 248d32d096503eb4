/**
 * Faults a real libvirtd cannot produce: a peer that claims success before proving it knows
 * the password, a wrong SCRAM server signature, a login that never ends. The normal paths
 * (right and wrong password, no credentials, unsupported mechanisms) run against a real
 * daemon in test/integration/sasl.int.test.ts.
 */
import { describe, expect, it } from 'vitest'
import type {
  AuthSaslStartArgs,
  AuthSaslStartRet,
  AuthSaslStepArgs,
} from '../protocol/generated/remote-types.gen'
import { fromWire, saslLogin, toWire, type SaslCalls } from './sasl-auth'
import { SaslProtocolError } from './sasl-errors'

const utf8 = (data: readonly number[]): string => Buffer.from(fromWire(data)).toString('utf8')
const reply = (complete: number, msg: string | null): AuthSaslStartRet => ({
  complete,
  ...toWire(msg === null ? null : Buffer.from(msg, 'utf8')),
})

/** A scripted daemon side: offers `mechlist` (default SCRAM-SHA-256), answers with `script`. */
function scriptedDaemon(script: {
  mechlist?: string
  start: (clientFirst: string) => AuthSaslStartRet
  step: (clientMessage: string | null, n: number) => AuthSaslStartRet
}): SaslCalls & { sent: string[] } {
  const sent: string[] = []
  let n = 0
  return {
    sent,
    authSaslInit: () => Promise.resolve({ mechlist: script.mechlist ?? 'SCRAM-SHA-256' }),
    authSaslStart: (args: AuthSaslStartArgs) => {
      sent.push(`${args.mech} ${utf8(args.data)}`)
      return Promise.resolve(script.start(utf8(args.data)))
    },
    authSaslStep: (args: AuthSaslStepArgs) => {
      const msg = args.nil === 1 ? null : utf8(args.data)
      sent.push(msg ?? '(nil)')
      return Promise.resolve(script.step(msg, n++))
    },
  }
}

const serverFirst = (clientFirst: string): string =>
  `r=${/r=([^,]+)/.exec(clientFirst)![1]}srv,s=c2FsdHNhbHQ=,i=4096`

const login = (remote: SaslCalls): Promise<unknown> =>
  saslLogin(remote, () => ({ timeoutMs: 1000 }), {
    target: 'unix:/test',
    defaultUsername: 'alice',
    credentials: { password: 'secret-pw' },
  })

describe('saslLogin against a misbehaving peer', () => {
  it('refuses a "complete" before the SCRAM server signature was seen', async () => {
    const remote = scriptedDaemon({
      start: () => reply(1, null),
      step: () => reply(1, null),
    })
    const err = await login(remote).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SaslProtocolError)
    expect((err as SaslProtocolError).reason).toBe('early-complete')
  })

  it('refuses a wrong server signature, even with complete = 1', async () => {
    const remote = scriptedDaemon({
      start: (first) => reply(0, serverFirst(first)),
      step: () => reply(1, `v=${Buffer.alloc(32, 7).toString('base64')}`),
    })
    const err = await login(remote).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SaslProtocolError)
    expect((err as SaslProtocolError).reason).toBe('server-signature')
    expect(remote.sent[0]).toMatch(/^SCRAM-SHA-256 n,,n=alice,r=/)
    expect(remote.sent[1]).toMatch(/^c=biws,r=.*srv,p=/)
    expect((err as Error).message).not.toContain('secret-pw')
  })

  it('refuses an empty SCRAM server-final message', async () => {
    const remote = scriptedDaemon({
      start: (first) => reply(0, serverFirst(first)),
      step: () => reply(0, ''),
    })
    const err = await login(remote).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SaslProtocolError)
    expect((err as SaslProtocolError).reason).toBe('malformed')
  })

  it('gives up on a login that never ends', async () => {
    const remote = scriptedDaemon({
      mechlist: 'PLAIN',
      start: () => reply(0, null),
      step: () => reply(0, null),
    })
    const err = await login(remote).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SaslProtocolError)
    expect((err as SaslProtocolError).reason).toBe('too-many-steps')
    expect(remote.sent[0]).toBe('PLAIN \0alice\0secret-pw')
    expect(remote.sent.slice(1).every((m) => m === '(nil)')).toBe(true)
  })
})

describe('SASL data on the wire', () => {
  it('sends bytes as signed chars and reads both signed and unsigned ones back', () => {
    expect(toWire(Uint8Array.of(0, 65, 127, 128, 255))).toEqual({
      nil: 0,
      data: [0, 65, 127, -128, -1],
    })
    expect(toWire(null)).toEqual({ nil: 1, data: [] })
    expect(toWire(new Uint8Array())).toEqual({ nil: 0, data: [] })
    expect(Array.from(fromWire([0, 65, -128, -1, 200]))).toEqual([0, 65, 128, 255, 200])
  })
})
