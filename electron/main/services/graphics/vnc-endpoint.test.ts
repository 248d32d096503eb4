/**
 * From graphics XML to the VNC endpoint: ports, autoport, listen forms (attribute, address,
 * network, socket, none), passwords, and VMs without VNC. The XML is shaped as libvirt 9
 * writes live and inactive definitions.
 */
import { describe, expect, it } from 'vitest'
import { parseGraphics, publicDevice } from './graphics-xml'
import { describeEndpoint, dialAddress, vncTarget } from './vnc-endpoint'

const domain = (devices: string) =>
  `<domain type='qemu'><name>x</name><devices>${devices}</devices></domain>`

describe('parseGraphics', () => {
  it('reads a running VM’s VNC display with its port, listen and password', () => {
    const xml = domain(`
      <graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1' passwd='s3cret'>
        <listen type='address' address='127.0.0.1'/>
      </graphics>`)
    const [vnc] = parseGraphics(xml)
    expect(vnc).toEqual({
      type: 'vnc',
      port: 5901,
      autoport: true,
      listens: [{ type: 'address', address: '127.0.0.1' }],
      hasPassword: true,
      password: 's3cret',
    })
    expect(publicDevice(vnc!)).not.toHaveProperty('password')
    expect(publicDevice(vnc!).hasPassword).toBe(true)
  })

  it('has no port for an autoport display of a stopped VM (-1)', () => {
    const [vnc] = parseGraphics(domain(`<graphics type='vnc' port='-1' autoport='yes'/>`))
    expect(vnc).toEqual({ type: 'vnc', autoport: true, listens: [], hasPassword: false })
  })

  it('reads the legacy listen= and socket= attributes when there are no <listen> children', () => {
    const [byAddress, bySocket] = parseGraphics(
      domain(`<graphics type='vnc' port='5900' listen='0.0.0.0'/>
              <graphics type='vnc' socket='/run/vm/vnc.sock'/>`),
    )
    expect(byAddress!.listens).toEqual([{ type: 'address', address: '0.0.0.0' }])
    expect(byAddress!.autoport).toBe(false)
    expect(bySocket!.listens).toEqual([{ type: 'socket', socket: '/run/vm/vnc.sock' }])
  })

  it('reads network, socket and none listens, and SPICE’s TLS port', () => {
    const devices = parseGraphics(
      domain(`
      <graphics type='spice' port='5902' tlsPort='5903' autoport='yes'>
        <listen type='network' network='default' address='192.168.122.1'/>
      </graphics>
      <graphics type='vnc' socket='/var/lib/libvirt/qemu/domain-3-x/vnc.sock'>
        <listen type='socket' socket='/var/lib/libvirt/qemu/domain-3-x/vnc.sock'/>
      </graphics>
      <graphics type='vnc'><listen type='none'/></graphics>`),
    )
    expect(devices.map((d) => d.type)).toEqual(['spice', 'vnc', 'vnc'])
    expect(devices[0]).toMatchObject({
      port: 5902,
      tlsPort: 5903,
      listens: [{ type: 'network', network: 'default', address: '192.168.122.1' }],
    })
    expect(devices[1]!.listens).toEqual([
      { type: 'socket', socket: '/var/lib/libvirt/qemu/domain-3-x/vnc.sock' },
    ])
    expect(devices[2]!.listens).toEqual([{ type: 'none' }])
  })

  it('finds nothing in a domain without displays, and ignores an empty password', () => {
    expect(parseGraphics(domain(`<serial type='pty'/>`))).toEqual([])
    expect(parseGraphics(`<domain><name>x</name></domain>`)).toEqual([])
    const [vnc] = parseGraphics(domain(`<graphics type='vnc' port='5900' passwd=''/>`))
    expect(vnc!.hasPassword).toBe(false)
    expect(vnc).not.toHaveProperty('password')
  })
})

describe('vncTarget', () => {
  const target = (devices: string, active = true) =>
    vncTarget(parseGraphics(domain(devices)), active)

  it('dials the listen address and port, with the password', () => {
    expect(
      target(`<graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1' passwd='pw'>
                <listen type='address' address='127.0.0.1'/></graphics>`),
    ).toEqual({
      ok: true,
      endpoint: { kind: 'tcp', host: '127.0.0.1', port: 5900 },
      password: 'pw',
    })
  })

  it('dials loopback for wildcard listens and keeps other addresses', () => {
    for (const wildcard of ['0.0.0.0', '::', '[::]']) {
      expect(target(`<graphics type='vnc' port='5905' listen='${wildcard}'/>`)).toMatchObject({
        endpoint: { kind: 'tcp', host: '127.0.0.1', port: 5905 },
      })
    }
    expect(
      target(`<graphics type='vnc' port='5900'><listen type='address' address='::1'/></graphics>`),
    ).toMatchObject({ endpoint: { host: '::1' } })
    expect(
      target(`<graphics type='vnc' port='5900'>
        <listen type='network' network='lan' address='10.0.0.5'/></graphics>`),
    ).toMatchObject({ endpoint: { host: '10.0.0.5' } })
    // No listen at all: QEMU's default is loopback.
    expect(target(`<graphics type='vnc' port='5900'/>`)).toMatchObject({
      endpoint: { host: '127.0.0.1' },
    })
  })

  it('prefers the unix socket', () => {
    expect(
      target(
        `<graphics type='vnc' socket='/run/v.sock'><listen type='socket' socket='/run/v.sock'/></graphics>`,
      ),
    ).toEqual({ ok: true, endpoint: { kind: 'unix', path: '/run/v.sock' } })
  })

  it('says why there is nothing to dial', () => {
    expect(target('')).toEqual({ ok: false, problem: 'no-graphics' })
    expect(target(`<graphics type='spice' port='5900' autoport='yes'/>`)).toEqual({
      ok: false,
      problem: 'spice-only',
    })
    expect(target(`<graphics type='sdl'/><graphics type='egl-headless'/>`)).toEqual({
      ok: false,
      problem: 'unsupported-graphics',
    })
    expect(target(`<graphics type='vnc' port='-1' autoport='yes'/>`, false)).toEqual({
      ok: false,
      problem: 'not-running',
    })
    expect(target(`<graphics type='vnc'><listen type='none'/></graphics>`)).toEqual({
      ok: false,
      problem: 'no-listener',
    })
    // Running but no port in the XML: nothing listens (yet).
    expect(target(`<graphics type='vnc' port='-1' autoport='yes'/>`)).toEqual({
      ok: false,
      problem: 'not-running',
    })
  })

  it('uses the VNC display of a VM that also has SPICE', () => {
    expect(
      target(`<graphics type='spice' port='5901'/><graphics type='vnc' port='5902'/>`),
    ).toMatchObject({ ok: true, endpoint: { port: 5902 } })
  })
})

describe('endpoint text', () => {
  it('brackets IPv6 and names sockets', () => {
    expect(describeEndpoint({ kind: 'tcp', host: '127.0.0.1', port: 5900 })).toBe('127.0.0.1:5900')
    expect(describeEndpoint({ kind: 'tcp', host: '::1', port: 5900 })).toBe('[::1]:5900')
    expect(describeEndpoint({ kind: 'unix', path: '/run/v.sock' })).toBe('unix:/run/v.sock')
    expect(dialAddress(' [fe80::1] ')).toBe('fe80::1')
  })
})
