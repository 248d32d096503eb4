import { create } from 'zustand'
import { initialUiState, type UiState, type VmDetailsTab } from './initial-state'

/** Actions of the UI store. */
export interface UiActions {
  /** Shows a VM's details (on its overview) in place of the host panel. */
  openVm(hostId: string, uuid: string): void
  /** Back to the host panel. */
  closeVm(): void
  showDetailsTab(tab: VmDetailsTab): void
  /** Shows (or leaves) the list of every connected host's VMs. */
  showAllVms(on: boolean): void
}

/** The UI store: navigation state that outlives any one component. */
export const useUiStore = create<UiState & UiActions>()((set) => ({
  ...initialUiState,
  openVm(hostId, uuid) {
    set({ openedVm: { hostId, uuid }, detailsTab: 'overview', allVms: false })
  },
  closeVm() {
    set({ openedVm: undefined })
  },
  showDetailsTab(detailsTab) {
    set({ detailsTab })
  },
  showAllVms(allVms) {
    set({ allVms, openedVm: undefined })
  },
}))
