import { describe, expect, it } from 'vitest'
import { parseLibvirtUri, UriError } from './uri'

describe('parseLibvirtUri', () => {
  it('reads a local system URI', () => {
    const uri = parseLibvirtUri('qemu:///system')
    expect(uri).toMatchObject({
      driver: 'qemu',
      transport: 'unix',
      transportExplicit: false,
      path: '/system',
      scope: 'system',
      isLocal: true,
      daemonName: 'qemu:///system',
    })
    expect(uri.host).toBeUndefined()
  })

  it('reads an ssh URI with user, port and client parameters', () => {
    const uri = parseLibvirtUri(
      'qemu+ssh://root@127.0.0.1:2222/system?keyfile=/tmp/k%20ey&known_hosts=/tmp/kh&no_verify=1',
    )
    expect(uri).toMatchObject({
      transport: 'ssh',
      user: 'root',
      host: '127.0.0.1',
      port: 2222,
      isLocal: false,
      daemonName: 'qemu:///system',
      params: { keyfile: '/tmp/k ey', known_hosts: '/tmp/kh', no_verify: '1' },
    })
  })

  it('defaults to tls when a host is given without a transport', () => {
    expect(parseLibvirtUri('qemu://server.example/system').transport).toBe('tls')
  })

  it('keeps the socket parameter on the client side and the test driver path for the daemon', () => {
    const session = parseLibvirtUri(
      'qemu+unix:///session?socket=/run/user/1000/libvirt/libvirt-sock',
    )
    expect(session.daemonName).toBe('qemu:///session')
    expect(session.params.socket).toBe('/run/user/1000/libvirt/libvirt-sock')
    expect(parseLibvirtUri('test+unix:///var/tmp/h/scale.xml').daemonName).toBe(
      'test:///var/tmp/h/scale.xml',
    )
  })

  it('honours name= and IPv6 hosts', () => {
    const uri = parseLibvirtUri('qemu+tcp://[::1]:16509/system?name=qemu:///session')
    expect(uri.host).toBe('::1')
    expect(uri.port).toBe(16509)
    expect(uri.daemonName).toBe('qemu:///session')
  })

  it.each([
    ['', /empty/],
    ['system', /not a libvirt URI/],
    ['foo:///system', /Unknown driver "foo"/],
    ['qemu+carrier:///system', /Unknown transport "carrier"/],
    ['qemu+ssh:///system', /needs a host/],
    ['qemu+unix://server/system', /reaches only this machine/],
    ['qemu:///root', /end in \/system or \/session/],
    ['qemu+ssh://h:99999/system', /1 to 65535/],
    ['qemu+ssh://@h/system', /user name/],
    ['qemu:///system?colour=red', /Unknown URI parameter "colour"/],
    ['qemu+ext:///system', /command=/],
    ['qemu+ssh://h/system?no_verify=yes', /takes 0 or 1/],
    ['qemu+ssh://h o/system', /spaces/],
  ])('refuses %j with a clear reason', (text, reason) => {
    expect(() => parseLibvirtUri(text)).toThrow(UriError)
    expect(() => parseLibvirtUri(text)).toThrow(reason)
  })
})
