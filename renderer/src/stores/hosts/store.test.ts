import { beforeEach, describe, expect, it } from 'vitest'
import type { HostEntry } from '@common/contract/hosts'
import type { Api } from '../../ipc/client'
import { setApi } from '../../ipc/api'
import { initialHostsState } from './initial-state'
import { hostsSelectors } from './selectors'
import { useHostsStore } from './store'

const entry = (id: string, uri: string): HostEntry => ({
  id,
  name: id,
  uri,
  target: { driver: 'qemu', transport: 'unix', scope: 'system' },
  isLocal: true,
  addedAt: '2026-01-01T00:00:00.000Z',
})

/** A stand-in for main's hosts service, recording calls. */
function fakeApi(saved: HostEntry[]) {
  const calls: string[] = []
  const hosts = {
    list: async () => saved,
    connections: async () => [],
    discoverLocal: async () => ({ daemons: [], platform: 'linux' }),
    checkUri: async ({ uri }: { uri: string }) => ({ summary: uri }),
    add: async ({ uri }: { uri: string }) => {
      calls.push(`add ${uri}`)
      if (uri === 'bad') throw new Error('"bad" is not a libvirt URI')
      return entry('new', uri)
    },
    rename: async ({ id, name }: { id: string; name: string }) => ({ ...entry(id, 'x'), name }),
    remove: async ({ id }: { id: string }) => {
      calls.push(`remove ${id}`)
    },
    answerPrompt: async ({ id, answer }: { id: string; answer: { kind: string } }) => {
      calls.push(`answer ${id} ${answer.kind}`)
    },
  }
  setApi({ hosts } as unknown as Api)
  return calls
}

beforeEach(() => useHostsStore.setState(initialHostsState))

describe('hosts store', () => {
  it('loads hosts and discovery; no socket at all means install advice', async () => {
    fakeApi([entry('a', 'qemu:///system')])
    await useHostsStore.getState().load()
    const state = useHostsStore.getState()
    expect(state.hosts.map((h) => h.id)).toEqual(['a'])
    expect(hostsSelectors.noLocalDaemon(state)).toBe(true)
  })

  it('selects a host once added, and forgets the selection when it is removed', async () => {
    const calls = fakeApi([])
    const host = await useHostsStore.getState().add('qemu:///session')
    expect(useHostsStore.getState().selectedId).toBe(host.id)
    expect(hostsSelectors.selected(useHostsStore.getState())?.uri).toBe('qemu:///session')
    await useHostsStore.getState().remove(host.id)
    expect(useHostsStore.getState().selectedId).toBeUndefined()
    expect(calls).toEqual(['add qemu:///session', 'remove new'])
  })

  it('finds the first host waiting on a question, in sidebar order, and answers it', async () => {
    const calls = fakeApi([])
    const prompt = {
      id: '0b6f7c1e-3c0e-4a59-9d0e-6f1f2f3a4b5c',
      kind: 'secret' as const,
      purpose: 'ssh-password' as const,
      target: 'me@h:22',
    }
    useHostsStore.setState({
      hosts: [entry('a', 'qemu:///system'), entry('b', 'qemu+ssh://h/system')],
      connections: {
        a: { id: 'a', status: 'connected', readOnly: false, attempt: 0 },
        b: { id: 'b', status: 'connecting', readOnly: false, attempt: 1, prompt },
      },
    })
    expect(hostsSelectors.promptHostId(useHostsStore.getState())).toBe('b')
    expect(hostsSelectors.promptCount(useHostsStore.getState())).toBe(1)
    await useHostsStore.getState().answerPrompt(prompt.id, { kind: 'cancel' })
    expect(calls).toEqual([`answer ${prompt.id} cancel`])
  })

  it('rejects with main’s message and keeps the list unchanged on a failed add', async () => {
    fakeApi([])
    await expect(useHostsStore.getState().add('bad')).rejects.toThrow(/not a libvirt URI/)
    expect(useHostsStore.getState().hosts).toEqual([])
  })
})
