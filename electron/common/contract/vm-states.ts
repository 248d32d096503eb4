/**
 * VM states and lifecycle actions as plain values, without zod: the page's first screen
 * needs them (the list's state filter, the actions a state allows) but none of the
 * contract's schemas, and building every schema cost it about 100 ms at start-up. vms.ts
 * builds its schemas from these lists.
 */

/** libvirt's domain states, by name (virDomainState). */
export const VM_STATES = [
  'nostate',
  'running',
  'blocked',
  'paused',
  'shutdown',
  'shutoff',
  'crashed',
  'pmsuspended',
] as const
/** libvirt's domain states, by name. */
export type VmState = (typeof VM_STATES)[number]

/** Lifecycle actions on one VM, as virsh names them. */
export const VM_ACTIONS = [
  'start',
  'shutdown',
  'reboot',
  'reset',
  'destroy',
  'suspend',
  'resume',
  /** Save to libvirt's own image and stop; the next start resumes from it. */
  'managedsave',
] as const
/** A lifecycle action. */
export type VmAction = (typeof VM_ACTIONS)[number]

/** Which actions make sense in which state (the UI offers only these). */
export const ACTIONS_BY_STATE: Record<VmState, readonly VmAction[]> = {
  running: ['shutdown', 'reboot', 'reset', 'suspend', 'managedsave', 'destroy'],
  blocked: ['shutdown', 'reboot', 'reset', 'suspend', 'destroy'],
  paused: ['resume', 'managedsave', 'destroy'],
  pmsuspended: ['destroy'],
  shutdown: ['destroy'],
  crashed: ['destroy', 'start'],
  nostate: ['destroy'],
  shutoff: ['start'],
}
