import { beforeEach, describe, expect, it } from 'vitest'
import { initialUiState } from './initial-state'
import { useUiStore } from './store'

beforeEach(() => useUiStore.setState(initialUiState))

describe('ui store', () => {
  it('opens a VM on its overview, remembers the tab, and goes back to the host panel', () => {
    const ui = useUiStore.getState()
    ui.openVm('h', 'u1')
    ui.showDetailsTab('xml')
    expect(useUiStore.getState()).toMatchObject({
      openedVm: { hostId: 'h', uuid: 'u1' },
      detailsTab: 'xml',
    })
    ui.openVm('h', 'u2')
    expect(useUiStore.getState().detailsTab).toBe('overview')
    ui.closeVm()
    expect(useUiStore.getState().openedVm).toBeUndefined()
  })
})
