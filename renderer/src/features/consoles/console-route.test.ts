import { describe, expect, it } from 'vitest'
import { fragmentParams } from '@common/console-route'
import { consoleRouteOf, consoleUrl } from './console-route'

const UUID = 'a00148d7-34cb-4cc6-b0f8-75ccc37979f2'

describe('console routes', () => {
  it('builds a detached console address that keeps the token and parses back', () => {
    const url = consoleUrl('http://127.0.0.1:4000/#token=abc_DEF-1', {
      kind: 'vnc',
      hostId: 'h 1',
      uuid: UUID,
    })
    const parsed = new URL(url)
    expect(parsed.origin + parsed.pathname).toBe('http://127.0.0.1:4000/')
    const params = new URLSearchParams(parsed.hash.slice(1))
    expect(params.get('token')).toBe('abc_DEF-1')
    expect(consoleRouteOf(parsed.hash)).toEqual({ kind: 'vnc', hostId: 'h 1', uuid: UUID })
  })

  it('works without a token (Electron) and replaces an earlier route', () => {
    const first = consoleUrl('file:///app/index.html', { kind: 'vnc', hostId: 'a', uuid: UUID })
    const second = consoleUrl(first, { kind: 'vnc', hostId: 'b', uuid: UUID })
    expect(new URL(second).hash).toBe(`#console=vnc&host=b&vm=${UUID}`)
  })

  it('names serial and monitor consoles too', () => {
    for (const kind of ['serial', 'monitor'] as const) {
      const url = consoleUrl('http://127.0.0.1:4000/#token=t', { kind, hostId: 'h', uuid: UUID })
      expect(consoleRouteOf(new URL(url).hash)).toEqual({ kind, hostId: 'h', uuid: UUID })
    }
  })

  it('is the normal app for anything else', () => {
    expect(consoleRouteOf('')).toBeUndefined()
    expect(consoleRouteOf('#token=abc')).toBeUndefined()
    expect(consoleRouteOf(`#console=rdp&host=h&vm=${UUID}`)).toBeUndefined()
    expect(consoleRouteOf('#console=vnc&host=h&vm=not-a-uuid')).toBeUndefined()
    expect(consoleRouteOf(`#console=vnc&vm=${UUID}`)).toBeUndefined()
    expect(consoleRouteOf(`#console=vnc&host=${'x'.repeat(65)}&vm=${UUID}`)).toBeUndefined()
  })
})

describe('fragment parameters', () => {
  it('decode like URLSearchParams and skip malformed escapes', () => {
    const hash = '#token=a%2Bb&host=my+host&vm=x&bad=%E0%A4%A&empty='
    const params = fragmentParams(hash)
    const reference = new URLSearchParams(hash.slice(1))
    for (const name of ['token', 'host', 'vm', 'empty']) {
      expect(params.get(name)).toBe(reference.get(name))
    }
    expect(params.has('bad')).toBe(false)
  })
})
