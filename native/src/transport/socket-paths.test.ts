import { describe, expect, it } from 'vitest'
import {
  driverDaemon,
  localSocketPath,
  remoteSocketPath,
  sessionSocketDir,
  type SocketEnvironment,
} from './socket-paths'
import { parseLibvirtUri } from './uri'

function environment(existing: string[], env: Record<string, string> = {}): SocketEnvironment {
  return { env, home: '/home/me', exists: (p) => existing.includes(p) }
}
const monolithic = environment([
  '/var/run/libvirt/libvirt-sock',
  '/var/run/libvirt/libvirt-sock-ro',
])
const modular = environment([
  '/var/run/libvirt/virtqemud-sock',
  '/var/run/libvirt/virtqemud-sock-ro',
])
const path = (uri: string, readOnly = false, env = monolithic): string =>
  localSocketPath(parseLibvirtUri(uri), readOnly, env).path

describe('localSocketPath', () => {
  it('uses libvirtd/virtproxyd sockets for the system daemon, -ro when read-only', () => {
    expect(path('qemu:///system')).toBe('/var/run/libvirt/libvirt-sock')
    expect(path('qemu:///system', true)).toBe('/var/run/libvirt/libvirt-sock-ro')
    expect(localSocketPath(parseLibvirtUri('qemu:///system'), true, monolithic)).toMatchObject({
      readOnlySocket: true,
    })
  })

  it('falls back to the driver daemon when only the modular sockets exist', () => {
    expect(path('qemu:///system', false, modular)).toBe('/var/run/libvirt/virtqemud-sock')
    expect(path('qemu:///system', true, modular)).toBe('/var/run/libvirt/virtqemud-sock-ro')
    expect(path('qemu:///system', false, environment([]))).toBe('/var/run/libvirt/libvirt-sock')
  })

  it('honours mode=direct and mode=legacy', () => {
    expect(path('qemu:///system?mode=direct')).toBe('/var/run/libvirt/virtqemud-sock')
    expect(path('lxc:///system?mode=direct', true)).toBe('/var/run/libvirt/virtlxcd-sock-ro')
    expect(path('qemu:///system?mode=legacy', false, modular)).toBe('/var/run/libvirt/libvirt-sock')
    // The test driver has no daemon of its own.
    expect(path('test+unix:///tmp/h.xml?mode=direct')).toBe('/var/run/libvirt/libvirt-sock')
  })

  it('finds the session socket under $XDG_RUNTIME_DIR, else ~/.cache; never -ro', () => {
    const xdg = environment([], { XDG_RUNTIME_DIR: '/run/user/1000' })
    expect(path('qemu:///session', false, xdg)).toBe('/run/user/1000/libvirt/libvirt-sock')
    expect(path('qemu:///session', true, xdg)).toBe('/run/user/1000/libvirt/libvirt-sock')
    expect(path('qemu:///session', false, environment([]))).toBe(
      '/home/me/.cache/libvirt/libvirt-sock',
    )
    const modularSession = environment(['/run/user/1000/libvirt/virtqemud-sock'], {
      XDG_RUNTIME_DIR: '/run/user/1000',
    })
    expect(path('qemu:///session', false, modularSession)).toBe(
      '/run/user/1000/libvirt/virtqemud-sock',
    )
    expect(sessionSocketDir(xdg)).toBe('/run/user/1000/libvirt')
  })

  it('lets socket= win over everything', () => {
    expect(path('qemu+unix:///session?socket=/tmp/s&mode=direct', true)).toBe('/tmp/s')
  })

  it('sends the test driver to the system socket', () => {
    expect(path('test+unix:///var/tmp/scale.xml')).toBe('/var/run/libvirt/libvirt-sock')
  })
})

describe('remoteSocketPath', () => {
  it('uses the legacy or direct system socket, or socket=', () => {
    expect(remoteSocketPath(parseLibvirtUri('qemu+ssh://h/system'))).toBe(
      '/var/run/libvirt/libvirt-sock',
    )
    expect(remoteSocketPath(parseLibvirtUri('qemu+ssh://h/system'), true)).toBe(
      '/var/run/libvirt/libvirt-sock-ro',
    )
    expect(remoteSocketPath(parseLibvirtUri('qemu+ssh://h/system?mode=direct'))).toBe(
      '/var/run/libvirt/virtqemud-sock',
    )
    expect(remoteSocketPath(parseLibvirtUri('qemu+ssh://h/session?socket=/s'))).toBe('/s')
  })

  it('does not guess the remote session socket', () => {
    expect(remoteSocketPath(parseLibvirtUri('qemu+ssh://h/session'))).toBeUndefined()
  })

  it('knows the modular daemons', () => {
    expect(driverDaemon('qemu')).toBe('virtqemud')
    expect(driverDaemon('libxl')).toBe('virtxend')
    expect(driverDaemon('test')).toBeUndefined()
  })
})
