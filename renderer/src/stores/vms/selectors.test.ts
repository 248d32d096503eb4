import { describe, expect, it } from 'vitest'
import type { VmSummary } from '@common/contract/vms'
import { visibleVms } from './selectors'

const vm = (name: string, state: VmSummary['state']): VmSummary => ({
  hostId: 'h',
  uuid: name,
  name,
  state,
  id: state === 'running' ? 1 : -1,
  vcpus: 1,
  memoryKiB: 131072,
  autostart: false,
  persistent: true,
})
const list = [vm('web-10', 'shutoff'), vm('web-2', 'running'), vm('db', 'paused')]

describe('visibleVms', () => {
  it('sorts names naturally and states running-first', () => {
    const byName = visibleVms(list, { text: '', states: [] }, { key: 'name', descending: false })
    expect(byName.map((v) => v.name)).toEqual(['db', 'web-2', 'web-10'])
    const byState = visibleVms(list, { text: '', states: [] }, { key: 'state', descending: false })
    expect(byState.map((v) => v.state)).toEqual(['running', 'paused', 'shutoff'])
  })

  it('filters by name text and by state without touching the input', () => {
    const shown = visibleVms(
      list,
      { text: 'WEB', states: ['running'] },
      { key: 'name', descending: true },
    )
    expect(shown.map((v) => v.name)).toEqual(['web-2'])
    expect(list).toHaveLength(3)
  })
})
