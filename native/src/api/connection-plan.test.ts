import { describe, expect, it } from 'vitest'
import type { SocketEnvironment } from '../transport/socket-paths'
import { UriError } from '../transport/uri'
import { planConnection } from './connection-plan'

const env: SocketEnvironment = {
  env: { XDG_RUNTIME_DIR: '/run/user/1000' },
  home: '/home/me',
  exists: (p) => p.startsWith('/var/run/libvirt/libvirt-sock'),
}
const plan = (uri: string, readOnly = false): ReturnType<typeof planConnection> =>
  planConnection(uri, { readOnly, socketEnvironment: env })

describe('planConnection', () => {
  it('qemu:///system: the system socket, name unchanged', () => {
    expect(plan('qemu:///system')).toMatchObject({
      transport: 'unix',
      socketPath: '/var/run/libvirt/libvirt-sock',
      name: 'qemu:///system',
      readOnly: false,
    })
    expect(plan('qemu:///system', true)).toMatchObject({
      socketPath: '/var/run/libvirt/libvirt-sock-ro',
      readOnly: true,
    })
  })

  it('session and socket=: the daemon gets qemu:///session', () => {
    expect(plan('qemu:///session')).toMatchObject({
      socketPath: '/run/user/1000/libvirt/libvirt-sock',
      name: 'qemu:///session',
    })
    expect(plan('qemu+unix:///session?socket=/tmp/x/libvirt-sock')).toMatchObject({
      socketPath: '/tmp/x/libvirt-sock',
      name: 'qemu:///session',
      why: 'socket= parameter',
    })
  })

  it('test+unix:///path: the system socket, test:///path for the daemon', () => {
    expect(plan('test+unix:///var/tmp/scale.xml')).toMatchObject({
      transport: 'unix',
      socketPath: '/var/run/libvirt/libvirt-sock',
      name: 'test:///var/tmp/scale.xml',
    })
  })

  it('tcp and tls with their default ports; tls options from the URI', () => {
    expect(plan('qemu+tcp://h/system')).toMatchObject({ transport: 'tcp', host: 'h', port: 16509 })
    expect(plan('qemu://h/system')).toMatchObject({
      transport: 'tls',
      port: 16514,
      noVerify: false,
    })
    expect(plan('qemu+tls://h:1234/system?pkipath=/p&no_verify=1')).toMatchObject({
      transport: 'tls',
      host: 'h',
      port: 1234,
      pkipath: '/p',
      noVerify: true,
      name: 'qemu:///system',
    })
  })

  it('ssh: user, port, key, known_hosts, host key and auth rules, routes', () => {
    const p = plan(
      'qemu+ssh://root@h:2222/system?keyfile=/k&known_hosts=/kh&sshauth=agent,privkey&command=/usr/bin/ssh',
    )
    expect(p).toMatchObject({
      transport: 'ssh',
      host: 'h',
      port: 2222,
      user: 'root',
      keyFiles: ['/k'],
      knownHostsFile: '/kh',
      authOrder: ['agent', 'privkey'],
      name: 'qemu:///system',
      ignoredParams: ['command'],
    })
    expect(p.transport === 'ssh' && p.unknownHostKey).toBeUndefined()
    expect(p.transport === 'ssh' && p.routes.map((r) => r.kind)).toEqual(['streamlocal', 'exec'])
    const noVerify = plan('qemu+ssh://h/system?no_verify=1')
    expect(noVerify).toMatchObject({ port: 22, unknownHostKey: 'accept-once' })
    expect(plan('qemu+libssh2://h/system?known_hosts_verify=auto')).toMatchObject({
      transport: 'ssh',
      unknownHostKey: 'accept-and-save',
    })
  })

  it('ssh read-only reaches the -ro socket', () => {
    const p = plan('qemu+ssh://h/system', true)
    expect(p.transport === 'ssh' && p.routes[0]).toEqual({
      kind: 'streamlocal',
      socketPath: '/var/run/libvirt/libvirt-sock-ro',
    })
  })

  it('refuses what it cannot do, with the reason', () => {
    expect(() => plan('qemu+ext:///system?command=/bin/x')).toThrow(UriError)
    expect(() => plan('qemu+ssh://h/system?sshauth=kerberos')).toThrow(/sshauth/)
  })
})
