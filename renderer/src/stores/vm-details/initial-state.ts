import type { VmDetails } from '@common/contract/vm-details'

/** Fetched VM details and XML, by {@link detailsKey}. */
export interface VmDetailsState {
  details: Record<string, VmDetails>
  /** Live XML under the VM's key, the persistent definition under key + `/inactive`. */
  xml: Record<string, string>
}

/** The key of a VM in this store. */
export const detailsKey = (hostId: string, uuid: string): string => `${hostId}/${uuid}`

/** The key of a VM's XML, live or persistent. */
export const xmlKey = (hostId: string, uuid: string, inactive: boolean): string =>
  inactive ? `${detailsKey(hostId, uuid)}/inactive` : detailsKey(hostId, uuid)

/** Nothing fetched yet. */
export const initialVmDetailsState: VmDetailsState = { details: {}, xml: {} }
