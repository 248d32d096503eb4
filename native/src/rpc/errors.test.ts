import { describe, expect, it } from 'vitest'
import { remoteError } from '../../test/packets'
import {
  ConnectionLostError,
  errorCodeName,
  errorDomainName,
  isConnectionLost,
  isNoDomain,
  isNotFound,
  isOperationDenied,
  isTimeout,
  isUnknownProcedureReply,
  ProtocolError,
  RpcTimeoutError,
  VirtError,
} from './errors'

describe('errors', () => {
  it('names libvirt codes and domains', () => {
    expect(errorCodeName(42)).toBe('VIR_ERR_NO_DOMAIN')
    expect(errorCodeName(29)).toBe('VIR_ERR_OPERATION_DENIED')
    expect(errorCodeName(41)).toBe('VIR_WAR_NO_NETWORK')
    expect(errorCodeName(9999)).toBe('VIR_ERR_9999')
    expect(errorDomainName(7)).toBe('VIR_FROM_RPC')
    expect(errorDomainName(20)).toBe('VIR_FROM_DOMAIN')
  })

  it('VirtError keeps every field and serialises as { name, code, message, details }', () => {
    const err = new VirtError(
      { ...remoteError(29, 'read only access prevents virDomainDefineXMLFlags', 6), str1: 'x' },
      'REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS',
    )
    expect(err).toBeInstanceOf(Error)
    expect(err.str1).toBe('x')
    expect(isOperationDenied(err)).toBe(true)
    expect(isNoDomain(err)).toBe(false)
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      name: 'VirtError',
      code: 29,
      message: 'read only access prevents virDomainDefineXMLFlags',
      details: {
        codeName: 'VIR_ERR_OPERATION_DENIED',
        domain: 6,
        domainName: 'VIR_FROM_DOM',
        level: 2,
        procedure: 'REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS',
      },
    })
  })

  it('a VirtError without a message still says something', () => {
    expect(new VirtError({ ...remoteError(42, ''), message: null }).message).toContain(
      'VIR_ERR_NO_DOMAIN',
    )
  })

  it('predicates', () => {
    expect(isNotFound(new VirtError(remoteError(50, 'no vol')))).toBe(true)
    expect(isNotFound(new Error('x'))).toBe(false)
    const lost = new ConnectionLostError('gone', new ProtocolError('bad length'))
    expect(isConnectionLost(lost)).toBe(true)
    expect(lost.toJSON()).toMatchObject({
      code: 'CONNECTION_LOST',
      details: { cause: 'bad length' },
    })
    expect(isTimeout(new RpcTimeoutError('X', 5))).toBe(true)
    expect(
      isUnknownProcedureReply(new VirtError(remoteError(39, 'unknown procedure: 444', 7))),
    ).toBe(true)
    expect(isUnknownProcedureReply(new VirtError(remoteError(39, 'Unable to decode', 7)))).toBe(
      false,
    )
  })
})
