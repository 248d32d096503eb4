import { detailsKey, xmlKey, type VmDetailsState } from './initial-state'

/** Derived views of the VM details store. */
export const vmDetailsSelectors = {
  /** A VM's details once fetched. */
  details: (hostId: string, uuid: string) => (s: VmDetailsState) =>
    s.details[detailsKey(hostId, uuid)],
  /** A VM's XML once fetched, live or persistent. */
  xml: (hostId: string, uuid: string, inactive: boolean) => (s: VmDetailsState) =>
    s.xml[xmlKey(hostId, uuid, inactive)],
}
