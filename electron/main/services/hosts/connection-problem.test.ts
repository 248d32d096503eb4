import { describe, expect, it } from 'vitest'
import { backoffMs, classifyConnectError } from './connection-problem'

const withErrno = (name: string, errno: string) =>
  Object.assign(new Error('cannot connect'), { name, details: { errno } })

describe('classifyConnectError', () => {
  it.each([
    [withErrno('TransportError', 'EACCES'), 'permission-denied', false],
    [withErrno('TransportError', 'ENOENT'), 'not-running', true],
    [withErrno('TransportError', 'ECONNREFUSED'), 'not-running', true],
    [withErrno('TransportError', 'EHOSTUNREACH'), 'unreachable', true],
    [Object.assign(new Error('x'), { name: 'HostKeyMismatchError' }), 'auth', false],
    [Object.assign(new Error('x'), { name: 'SshAuthError' }), 'auth', false],
    [Object.assign(new Error('x'), { name: 'ConnectionLostError' }), 'lost', true],
    [Object.assign(new Error('x'), { name: 'VirtError' }), 'other', false],
  ])('%s -> %s', (err, kind, retry) => {
    expect(classifyConnectError(err)).toEqual({ problem: { kind, message: err.message }, retry })
  })

  it('backs off 1, 2, 4 ... up to 30 s', () => {
    expect([1, 2, 3, 5, 6, 10].map(backoffMs)).toEqual([1000, 2000, 4000, 16000, 30000, 30000])
  })
})
