import { describe, expect, it } from 'vitest'
import { PlainClient } from './plain'
import {
  chooseMechanism,
  createMechanism,
  parseMechanismList,
  transportProtection,
} from './sasl-choice'
import { SaslProtocolError } from './sasl-errors'

describe('parseMechanismList', () => {
  it("splits libvirt's comma list (and spaces), upper-casing", () => {
    expect(parseMechanismList('SCRAM-SHA-256,SCRAM-SHA-1,PLAIN')).toEqual([
      'SCRAM-SHA-256',
      'SCRAM-SHA-1',
      'PLAIN',
    ])
    expect(parseMechanismList(' digest-md5 gssapi,')).toEqual(['DIGEST-MD5', 'GSSAPI'])
    expect(parseMechanismList('')).toEqual([])
  })
})

describe('transportProtection', () => {
  it('unix and ssh are local, tls is encrypted, tcp and unknown are unprotected', () => {
    expect(transportProtection('unix:/var/run/libvirt/libvirt-sock')).toBe('local')
    expect(transportProtection('ssh:root@h:22:/var/run/libvirt/libvirt-sock')).toBe('local')
    expect(transportProtection('ssh:root@h:22:exec')).toBe('local')
    expect(transportProtection('tls:h:16514')).toBe('encrypted')
    expect(transportProtection('tcp:h:16509')).toBe('none')
    expect(transportProtection('something')).toBe('none')
  })
})

describe('chooseMechanism', () => {
  it('prefers SCRAM-SHA-256, then SCRAM-SHA-1, then PLAIN, whatever the offer order', () => {
    const all = ['PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-256']
    expect(chooseMechanism(all, 'local').mechanism).toBe('SCRAM-SHA-256')
    expect(chooseMechanism(['PLAIN', 'SCRAM-SHA-1'], 'encrypted').mechanism).toBe('SCRAM-SHA-1')
    expect(chooseMechanism(['GSSAPI', 'PLAIN'], 'encrypted').mechanism).toBe('PLAIN')
  })

  it('never takes PLAIN over plain TCP, and says so', () => {
    expect(chooseMechanism(['PLAIN'], 'none')).toEqual({ mechanism: undefined, plainRefused: true })
    expect(chooseMechanism(['PLAIN', 'SCRAM-SHA-1'], 'none').mechanism).toBe('SCRAM-SHA-1')
  })

  it('takes nothing from GSSAPI / DIGEST-MD5 / -PLUS variants', () => {
    expect(chooseMechanism(['GSSAPI', 'DIGEST-MD5', 'SCRAM-SHA-256-PLUS'], 'local')).toEqual({
      mechanism: undefined,
      plainRefused: false,
    })
  })
})

describe('PLAIN', () => {
  it('sends NUL user NUL password once and takes no challenge', async () => {
    const m = createMechanism('PLAIN', 'alice', 'pw')
    expect(m.complete).toBe(false)
    expect(Buffer.from(m.start()!).toString('utf8')).toBe('\0alice\0pw')
    expect(m.complete).toBe(true)
    expect(await m.step(new Uint8Array())).toBeNull()
    await expect(m.step(Buffer.from('x'))).rejects.toBeInstanceOf(SaslProtocolError)
    expect(() => m.start()).toThrow(SaslProtocolError)
  })

  it('refuses NUL inside the user name or password', () => {
    expect(() => new PlainClient('a\0b', 'pw')).toThrow(TypeError)
    expect(() => new PlainClient('a', '')).toThrow(TypeError)
  })
})
