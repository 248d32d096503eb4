/** A VM by host and UUID. */
export interface VmRef {
  hostId: string
  uuid: string
}

/** The tabs of the VM details view. */
export type VmDetailsTab = 'overview' | 'display' | 'serial' | 'monitor' | 'performance' | 'xml'

/** What the content area shows, beyond the selected host (which the hosts store keeps). */
export interface UiState {
  /** The VM whose details replace the host panel; undefined shows the host panel. */
  openedVm: VmRef | undefined
  detailsTab: VmDetailsTab
  /** The list of every connected host's VMs replaces the host panel. */
  allVms: boolean
}

/** The host panel, overview tab ready for the first VM opened. */
export const initialUiState: UiState = {
  openedVm: undefined,
  detailsTab: 'overview',
  allVms: false,
}
