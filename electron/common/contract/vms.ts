import { z } from 'zod'
import { event, method, service } from './define'

/** libvirt's domain states, by name (virDomainState). */
export const VmState = z.enum([
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
])
/** libvirt's domain states, by name. */
export type VmState = z.infer<typeof VmState>

/** One VM as the list shows it. */
export const VmSummary = z.object({
  hostId: z.string(),
  uuid: z.string(),
  name: z.string(),
  state: VmState,
  /** Running domains' id; -1 when shut off. */
  id: z.number().int(),
})
/** One VM as the list shows it. */
export type VmSummary = z.infer<typeof VmSummary>

/** A host's VM list, pushed whole after every change (the daemon's events drive it). */
export const VmList = z.object({ hostId: z.string(), vms: z.array(VmSummary) })
/** A host's VM list. */
export type VmList = z.infer<typeof VmList>

/** Virtual machines: lists, driven by libvirt's lifecycle events. */
export const vms = service('vms', {
  /** Every connected host's VMs. */
  lists: method(z.void(), z.array(VmList)),
  onListChanged: event(VmList),
})
