import { HostKeyMismatchError, HostKeyUnknownError, SshConnectError } from '@native'
import { describe, expect, it } from 'vitest'
import { backoffMs, classifyConnectError } from './connection-problem'
import { PromptUnansweredError } from './prompt-broker'

const withErrno = (name: string, errno: string) =>
  Object.assign(new Error('cannot connect'), { name, details: { errno } })

// An ed25519 key blob as a known_hosts line holds it (random key), fingerprinted below.
const OLD_KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIAZRb781uCSRosHGUYn4AxvmtDxwVpTEt5/YlEi4c92R'

describe('classifyConnectError', () => {
  it.each([
    [withErrno('TransportError', 'EACCES'), 'permission-denied', false],
    [withErrno('TransportError', 'ENOENT'), 'not-running', true],
    [withErrno('TransportError', 'ECONNREFUSED'), 'not-running', true],
    [withErrno('TransportError', 'EHOSTUNREACH'), 'unreachable', true],
    [new SshConnectError('me@h:22', 'timed out after 20000 ms'), 'unreachable', true],
    [Object.assign(new Error('x'), { name: 'SshAuthError' }), 'auth', false],
    [Object.assign(new Error('x'), { name: 'ConnectionLostError' }), 'lost', true],
    [Object.assign(new Error('x'), { name: 'VirtError' }), 'other', false],
  ])('%s -> %s', (err, kind, retry) => {
    expect(classifyConnectError(err)).toEqual({ problem: { kind, message: err.message }, retry })
  })

  it('reports a changed host key with the recorded lines and their fingerprints', () => {
    const text = `[127.0.0.1]:2222 ssh-ed25519 ${OLD_KEY}`
    const err = new HostKeyMismatchError('[127.0.0.1]:2222', 'ssh-ed25519', 'SHA256:new', [
      { file: '/data/known_hosts', line: 3, text },
    ])
    const { problem, retry } = classifyConnectError(err)
    expect(retry).toBe(false)
    expect(problem).toEqual({
      kind: 'host-key-changed',
      message: err.message,
      hostKey: {
        host: '[127.0.0.1]:2222',
        keyType: 'ssh-ed25519',
        fingerprint: 'SHA256:new',
        known: [
          {
            file: '/data/known_hosts',
            line: 3,
            keyType: 'ssh-ed25519',
            fingerprint: 'SHA256:0i1E3NQmDApZn9KKJ3tESHGDlF/a+DRi437PZF3Q8C8',
          },
        ],
        revoked: false,
      },
    })
  })

  it('reports an unknown host key, and says why when the user was asked', () => {
    const unknown = new HostKeyUnknownError('h', 'ssh-ed25519', 'SHA256:k', '/f')
    expect(classifyConnectError(unknown)).toEqual({
      problem: {
        kind: 'host-key-unknown',
        message: unknown.message,
        hostKey: { host: 'h', keyType: 'ssh-ed25519', fingerprint: 'SHA256:k' },
      },
      retry: false,
    })
    const question = {
      kind: 'host-key' as const,
      host: 'h',
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:k',
      otherKnownTypes: [],
    }
    const declined = new PromptUnansweredError(question, 'timeout', unknown)
    expect(classifyConnectError(declined).problem).toMatchObject({
      kind: 'host-key-unknown',
      unanswered: 'timeout',
      hostKey: { fingerprint: 'SHA256:k' },
    })
    const password = {
      kind: 'secret' as const,
      purpose: 'ssh-password' as const,
      target: 'me@h:22',
    }
    expect(classifyConnectError(new PromptUnansweredError(password, 'cancelled'))).toEqual({
      problem: {
        kind: 'unanswered',
        message: 'You cancelled the password prompt for me@h:22.',
        unanswered: 'cancelled',
      },
      retry: false,
    })
  })

  it('backs off 1, 2, 4 ... up to 30 s', () => {
    expect([1, 2, 3, 5, 6, 10].map(backoffMs)).toEqual([1000, 2000, 4000, 16000, 30000, 30000])
  })
})
