import type { VmSummary } from '@common/contract/vms'

/** VM lists by host id, as main pushes them. */
export interface VmsState {
  byHost: Record<string, VmSummary[]>
}

/** Nothing known yet. */
export const initialVmsState: VmsState = { byHost: {} }
