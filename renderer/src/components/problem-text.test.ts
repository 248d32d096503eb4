import { createInstance } from 'i18next'
import { describe, expect, it } from 'vitest'
import en from '../i18n/en.json'
import zhCN from '../i18n/zh-CN.json'
import { problemText } from './problem-text'

async function chinese() {
  const i18n = createInstance()
  await i18n.init({
    lng: 'zh-CN',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    interpolation: { escapeValue: false },
  })
  return i18n.t
}

/** An error as it arrives over IPC (RemoteError keeps name, code, details). */
const remote = (name: string, message: string, details?: unknown) =>
  Object.assign(new Error(message), { name, details })

describe('problemText', () => {
  it('words our own refusals in the UI’s language, with their values', async () => {
    const t = await chinese()
    const bad = remote('UriError', 'The ssh transport needs a host, e.g. ...', {
      reason: 'needsHost',
      values: { transport: 'ssh' },
    })
    expect(problemText(bad, t)).toBe('ssh 传输方式需要主机，例如 qemu+ssh://host/system。')
    const listed = remote('HostRegistryError', 'qemu:///system is already in the list.', {
      reason: 'duplicate',
      values: { uri: 'qemu:///system' },
    })
    expect(problemText(listed, t)).toBe('qemu:///system 已在列表中。')
  })

  it('keeps the message of anything else, and of a reason it has no words for', async () => {
    const t = await chinese()
    const libvirt = remote('VirtError', 'Requested operation is not valid: domain is not running')
    expect(problemText(libvirt, t)).toBe('Requested operation is not valid: domain is not running')
    const newer = remote('UriError', 'Something new.', { reason: 'fromTheFuture', values: {} })
    expect(problemText(newer, t)).toBe('Something new.')
    expect(problemText('plain text', t)).toBe('plain text')
  })
})
