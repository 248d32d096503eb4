import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostRegistry } from './host-registry'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-registry-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('HostRegistry', () => {
  it('persists hosts across restarts', async () => {
    const file = join(dir, 'sub', 'hosts.json')
    const first = await HostRegistry.open(file)
    const a = await first.add('qemu:///system', 'Local')
    await first.add('qemu+ssh://root@h/system', 'Server')
    await first.rename(a.id, 'Workstation')
    const again = await HostRegistry.open(file)
    expect(again.list().map((h) => [h.name, h.uri])).toEqual([
      ['Workstation', 'qemu:///system'],
      ['Server', 'qemu+ssh://root@h/system'],
    ])
    await again.remove(a.id)
    expect((await HostRegistry.open(file)).list()).toHaveLength(1)
  })

  it('keeps no name for a host added without one, and an empty rename brings that back', async () => {
    const file = join(dir, 'hosts.json')
    const registry = await HostRegistry.open(file)
    const host = await registry.add('qemu:///system')
    expect(host.name).toBeUndefined()
    await registry.rename(host.id, 'Workstation')
    await registry.rename(host.id, '')
    const again = await HostRegistry.open(file)
    expect(again.list()).toEqual([{ id: host.id, uri: 'qemu:///system', addedAt: host.addedAt }])
    await expect(again.add('qemu:///system')).rejects.toThrow(/qemu:\/\/\/system is already/)
  })

  it('refuses a duplicate URI and an unknown id with clear errors', async () => {
    const registry = await HostRegistry.open(join(dir, 'hosts.json'))
    await registry.add('qemu:///system', 'Local')
    await expect(registry.add('qemu:///system', 'Again')).rejects.toMatchObject({
      message: 'qemu:///system is already in the list.',
      details: { reason: 'duplicate', values: { uri: 'qemu:///system' } },
    })
    await expect(registry.rename('nope', 'x')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('moves an unreadable file aside instead of losing it', async () => {
    const file = join(dir, 'hosts.json')
    await writeFile(file, '{ this is not json')
    const warnings: string[] = []
    const registry = await HostRegistry.open(file, (m) => warnings.push(m))
    expect(registry.list()).toEqual([])
    expect(warnings[0]).toMatch(/could not be read/)
    const files = await readdir(dir)
    const aside = files.find((f) => f.startsWith('hosts.json.unreadable-'))
    expect(aside).toBeDefined()
    expect(await readFile(join(dir, aside!), 'utf8')).toBe('{ this is not json')
  })

  it('announces every change to subscribers', async () => {
    const registry = await HostRegistry.open(join(dir, 'hosts.json'))
    const seen: number[] = []
    const sub = registry.onChanged((list) => seen.push(list.length))
    const host = await registry.add('qemu:///session', 'Mine')
    await registry.remove(host.id)
    sub.dispose()
    expect(seen).toEqual([1, 0])
  })
})
