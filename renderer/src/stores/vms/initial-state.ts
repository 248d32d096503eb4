import type { VmJobProgress, VmSummary } from '@common/contract/vms'

/** VM lists by host id, as main pushes them. */
export interface VmsState {
  byHost: Record<string, VmSummary[]>
  /**
   * VMs asked to shut down through us and not off yet: when each was asked (ms since the
   * epoch), by watchKey(hostId, uuid). The UI offers Force off once one is overdue.
   */
  shutdownsSince: Record<string, number>
  /** Saves and managed saves running now, by watchKey(hostId, uuid): their last progress. */
  jobs: Record<string, VmJobProgress>
}

/** Nothing known yet. */
export const initialVmsState: VmsState = { byHost: {}, shutdownsSince: {}, jobs: {} }
