import { beforeEach, describe, expect, it } from 'vitest'
import type { VmSummary } from '@common/contract/vms'
import type { Api } from '../../ipc/client'
import { setApi } from '../../ipc/api'
import { initialVmsState } from './initial-state'
import { vmSelectors } from './selectors'
import { useVmsStore } from './store'

const vm = (name: string, state: VmSummary['state']): VmSummary => ({
  hostId: 'h',
  uuid: `uuid-${name}`,
  name,
  state,
  id: state === 'running' ? 1 : -1,
  vcpus: 1,
  memoryKiB: 131072,
  autostart: false,
  persistent: name !== 'transient',
})

/** A stand-in for main's vms service: refuses what libvirt would refuse, records calls. */
function fakeApi() {
  const calls: string[] = []
  const vms = {
    act: async ({ uuid, action }: { uuid: string; action: string }) => {
      calls.push(`${action} ${uuid}`)
      if (uuid === 'uuid-off') throw new Error('domain is not running')
    },
    setAutostart: async ({ uuid, autostart }: { uuid: string; autostart: boolean }) => {
      calls.push(`autostart ${uuid} ${autostart}`)
      if (uuid === 'uuid-transient') throw new Error('cannot set autostart for transient domain')
    },
  }
  setApi({ vms } as unknown as Api)
  return calls
}

const since = (uuid: string) => vmSelectors.shutdownSince('h', uuid)(useVmsStore.getState())

beforeEach(() => useVmsStore.setState(initialVmsState))

describe('VM store', () => {
  it('watches VMs whose shutdown was accepted until they are off', async () => {
    fakeApi()
    const { act, internal_setList } = useVmsStore.getState()
    internal_setList({ hostId: 'h', vms: [vm('a', 'running'), vm('b', 'running')] })
    const errors = await act('h', [vm('a', 'running'), vm('off', 'shutoff')], 'shutdown')
    expect(errors).toEqual(['off: domain is not running'])
    expect(since('uuid-a')).toBeGreaterThan(0)
    expect(since('uuid-off')).toBeUndefined()

    // Still running (or shutting down): still watched; another host's list changes nothing.
    internal_setList({ hostId: 'h', vms: [vm('a', 'shutdown')] })
    internal_setList({ hostId: 'other', vms: [] })
    expect(since('uuid-a')).toBeDefined()
    internal_setList({ hostId: 'h', vms: [vm('a', 'shutoff')] })
    expect(since('uuid-a')).toBeUndefined()
  })

  it('ends a watch when the VM leaves the list or the user dismisses it', async () => {
    fakeApi()
    const { act, internal_setList, dismissShutdown } = useVmsStore.getState()
    await act('h', [vm('a', 'running'), vm('b', 'running')], 'shutdown')
    internal_setList({ hostId: 'h', vms: [vm('b', 'running')] })
    expect(since('uuid-a')).toBeUndefined()
    dismissShutdown('h', 'uuid-b')
    expect(since('uuid-b')).toBeUndefined()
  })

  it('sets autostart on every chosen VM and reports the ones libvirt refused', async () => {
    const calls = fakeApi()
    const errors = await useVmsStore
      .getState()
      .setAutostart('h', [vm('a', 'shutoff'), vm('transient', 'running')], true)
    expect(calls).toEqual(['autostart uuid-a true', 'autostart uuid-transient true'])
    expect(errors).toEqual(['transient: cannot set autostart for transient domain'])
  })

  it('keeps the latest progress of each running save and drops a finished one', () => {
    const { internal_setJob } = useVmsStore.getState()
    const job = (uuid: string, fraction: number | undefined, finished = false) => ({
      hostId: 'h',
      uuid,
      operation: 'save' as const,
      ...(fraction !== undefined && { fraction }),
      totalBytes: 1 << 30,
      finished,
    })
    const progress = (uuid: string) => vmSelectors.job('h', uuid)(useVmsStore.getState())
    internal_setJob(job('uuid-a', undefined))
    internal_setJob(job('uuid-a', 0.4))
    internal_setJob(job('uuid-b', 0.9))
    expect(progress('uuid-a')?.fraction).toBe(0.4)
    internal_setJob(job('uuid-a', undefined, true))
    expect(progress('uuid-a')).toBeUndefined()
    expect(progress('uuid-b')?.fraction).toBe(0.9)
    expect(vmSelectors.job('other', 'uuid-b')(useVmsStore.getState())).toBeUndefined()
  })
})
