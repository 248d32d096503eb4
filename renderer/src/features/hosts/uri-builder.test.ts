import { describe, expect, it } from 'vitest'
import { buildUri, emptyHostForm } from './uri-builder'

describe('buildUri', () => {
  it('builds an ssh URI with user and port', () => {
    expect(buildUri({ ...emptyHostForm, host: 'server', port: '2222' })).toBe(
      'qemu+ssh://root@server:2222/system',
    )
  })
  it('leaves the user out of tls and tcp URIs and brackets IPv6', () => {
    expect(buildUri({ ...emptyHostForm, kind: 'tls', host: 'fd00::1', scope: 'session' })).toBe(
      'qemu+tls://[fd00::1]/session',
    )
  })
  it('passes a custom URI through, trimmed', () => {
    expect(buildUri({ ...emptyHostForm, kind: 'uri', uri: '  qemu:///session ' })).toBe(
      'qemu:///session',
    )
  })
})
