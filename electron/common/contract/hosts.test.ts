import { describe, expect, it } from 'vitest'
import { HostConnection, hosts } from './hosts'

const ID = '0b6f7c1e-3c0e-4a59-9d0e-6f1f2f3a4b5c'

describe('hosts contract: prompts', () => {
  const answer = hosts.spec.answerPrompt.input

  it('accepts trust, a secret (with an optional user name) and cancel', () => {
    expect(answer.parse({ id: ID, answer: { kind: 'trust' } })).toEqual({
      id: ID,
      answer: { kind: 'trust' },
    })
    const secret = { kind: 'secret', secret: 'hunter2', remember: false }
    expect(answer.parse({ id: ID, answer: secret }).answer).toEqual(secret)
    expect(
      answer.parse({ id: ID, answer: { ...secret, username: ' alice ' } }).answer,
    ).toMatchObject({ username: 'alice' })
    expect(answer.parse({ id: ID, answer: { kind: 'cancel' } }).answer.kind).toBe('cancel')
  })

  it('refuses a malformed id, an unknown kind, a missing remember and an oversized secret', () => {
    for (const bad of [
      { id: 'nope', answer: { kind: 'trust' } },
      { id: ID, answer: { kind: 'accept-changed-key' } },
      { id: ID, answer: { kind: 'secret', secret: 'x' } },
      { id: ID, answer: { kind: 'secret', secret: 'x'.repeat(4097), remember: false } },
      { id: ID, answer: { kind: 'secret', secret: 'x', remember: false, username: '' } },
      { id: ID },
    ]) {
      expect(answer.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })

  it('carries a pending prompt and a changed host key in a connection state', () => {
    const state = {
      id: 'h1',
      status: 'connecting',
      readOnly: false,
      attempt: 1,
      prompt: {
        id: ID,
        kind: 'host-key',
        host: '[127.0.0.1]:2222',
        keyType: 'ssh-ed25519',
        fingerprint: 'SHA256:abc',
        saveTo: '/tmp/known_hosts',
        otherKnownTypes: [],
      },
    }
    expect(HostConnection.parse(state)).toEqual(state)
    const failed = {
      id: 'h1',
      status: 'failed',
      readOnly: false,
      attempt: 0,
      problem: {
        kind: 'host-key-changed',
        message: 'changed',
        hostKey: {
          host: '[127.0.0.1]:2222',
          keyType: 'ssh-ed25519',
          fingerprint: 'SHA256:new',
          known: [{ file: '/k', line: 3, keyType: 'ssh-ed25519', fingerprint: 'SHA256:old' }],
          revoked: false,
        },
      },
    }
    expect(HostConnection.parse(failed)).toEqual(failed)
  })
})
