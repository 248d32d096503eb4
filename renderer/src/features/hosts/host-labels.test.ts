import { createInstance } from 'i18next'
import { describe, expect, it } from 'vitest'
import type { UriTarget } from '@common/contract/hosts'
import en from '../../i18n/en.json'
import zhCN from '../../i18n/zh-CN.json'
import { describeTarget, hostName } from './host-labels'

async function translators() {
  const make = async (lng: string) => {
    const i18n = createInstance()
    await i18n.init({
      lng,
      resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
      interpolation: { escapeValue: false },
    })
    return i18n.t
  }
  return { en: await make('en'), zh: await make('zh-CN') }
}

const local: UriTarget = { driver: 'qemu', transport: 'unix', scope: 'system' }
const remote: UriTarget = {
  driver: 'qemu',
  transport: 'ssh',
  user: 'root',
  host: 'server.lan',
  port: 2222,
  scope: 'session',
}
const testDriver: UriTarget = { driver: 'test', transport: 'unix' }

describe('host labels', () => {
  it('word a default host name in the language of the moment', async () => {
    const t = await translators()
    expect(hostName({ target: local }, t.en)).toBe('This computer (System)')
    expect(hostName({ target: local }, t.zh)).toBe('本机（系统）')
    expect(hostName({ target: remote }, t.en)).toBe('server.lan (Session)')
    expect(hostName({ target: remote }, t.zh)).toBe('server.lan（会话）')
    expect(hostName({ target: testDriver }, t.en)).toBe('This computer (test)')
  })

  it('keep the name the user gave, in every language', async () => {
    const t = await translators()
    const named = { name: 'Workstation', target: local }
    expect(hostName(named, t.en)).toBe('Workstation')
    expect(hostName(named, t.zh)).toBe('Workstation')
  })

  it('say what a URI reaches in either language', async () => {
    const t = await translators()
    expect(describeTarget(remote, t.en)).toBe('qemu on root@server.lan:2222 over ssh (Session)')
    expect(describeTarget(remote, t.zh)).toBe('root@server.lan:2222上的 qemu，经 ssh（会话）')
    expect(describeTarget(local, t.en)).toBe('qemu on this machine over unix (System)')
    expect(describeTarget(testDriver, t.zh)).toBe('本机上的 test，经 unix')
  })
})
