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

/** One running VM's rates over the last tick. */
export const VmStats = z.object({
  uuid: z.string(),
  /** Share of its vCPUs' time, 0-100. */
  cpuPercent: z.number(),
  vcpus: z.number(),
  /** Memory the guest has now (balloon current), KiB. */
  memoryKiB: z.number(),
  /** Memory the QEMU process really uses on the host (RSS), KiB; 0 when unknown. */
  memoryUsedKiB: z.number(),
  diskReadBps: z.number(),
  diskWriteBps: z.number(),
  netRxBps: z.number(),
  netTxBps: z.number(),
})
/** One running VM's rates over the last tick. */
export type VmStats = z.infer<typeof VmStats>

/** One stats tick of a host: every running VM, from one bulk stats call. */
export const VmStatsTick = z.object({ hostId: z.string(), at: z.number(), vms: z.array(VmStats) })
/** One stats tick of a host. */
export type VmStatsTick = z.infer<typeof VmStatsTick>

const HostId = z.string().min(1).max(64)
/** A file on the VM's host (which may be another machine): absolute, not checked here. */
const HostPath = z.string().trim().startsWith('/', 'Give an absolute path on the host').max(4096)

/** Lifecycle actions on one VM, as virsh names them. */
export const VmAction = z.enum([
  'start',
  'shutdown',
  'reboot',
  'reset',
  'destroy',
  'suspend',
  'resume',
  /** Save to libvirt's own image and stop; the next start resumes from it. */
  'managedsave',
])
/** A lifecycle action. */
export type VmAction = z.infer<typeof VmAction>

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

/** Virtual machines: lists driven by libvirt's lifecycle events, and lifecycle actions. */
export const vms = service('vms', {
  /** Every connected host's VMs. */
  lists: method(z.void(), z.array(VmList)),
  /** Runs a lifecycle action; the new state arrives as a list change. */
  act: method(
    z.object({
      hostId: HostId,
      uuid: z.guid(),
      action: VmAction,
    }),
    z.void(),
  ),
  /** Saves a running or paused VM's memory to a file on its host and stops it. */
  save: method(
    z.object({
      hostId: HostId,
      uuid: z.guid(),
      path: HostPath,
    }),
    z.void(),
  ),
  /** Starts a VM again from a file written by save. */
  restore: method(
    z.object({
      hostId: HostId,
      path: HostPath,
    }),
    z.void(),
  ),
  onListChanged: event(VmList),
  /** A stats tick per connected host (1 s by default). */
  onStats: event(VmStatsTick),
})
