import { z } from 'zod'
import { event, method, service } from './define'
import { ACTIONS_BY_STATE, VM_ACTIONS, VM_STATES } from './vm-states'

export { ACTIONS_BY_STATE }

/** libvirt's domain states, by name (virDomainState; the values are in vm-states.ts). */
export const VmState = z.enum(VM_STATES)
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
  /** Virtual CPUs (in use when running, configured otherwise). */
  vcpus: z.number().int().nonnegative(),
  /** The configured (maximum) memory, KiB. */
  memoryKiB: z.number().nonnegative(),
  /** Starts with the host (always false for a transient VM). */
  autostart: z.boolean(),
  /** Has a persistent definition; a transient VM disappears when it stops. */
  persistent: z.boolean(),
})
/** One VM as the list shows it. */
export type VmSummary = z.infer<typeof VmSummary>

/**
 * A host's VM list, pushed whole after every change (the daemon's events drive it), sorted
 * by name in natural order.
 */
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

/** Lifecycle actions on one VM, as virsh names them (see vm-states.ts). */
export const VmAction = z.enum(VM_ACTIONS)
/** A lifecycle action. */
export type VmAction = z.infer<typeof VmAction>

const VmRef = z.object({ hostId: HostId, uuid: z.guid() })

/** One disk of a VM as the delete dialog lists it. */
export const DeletableDisk = z.object({
  /** The guest-side target, e.g. vda, hdc. */
  target: z.string(),
  /** disk, cdrom, floppy or lun. */
  device: z.string(),
  /** The file or block device on the host; absent for network disks and empty drives. */
  path: z.string().optional(),
  readonly: z.boolean(),
  shareable: z.boolean(),
  /** The storage volume at that path when a pool manages it; only those can be deleted. */
  volume: z
    .object({ pool: z.string(), name: z.string(), capacityBytes: z.number().nonnegative() })
    .optional(),
  /** Other VMs of the host whose disks use the same path. */
  usedBy: z.array(z.string()),
  /** Ticked at first: a writable, unshared pool volume that no other VM uses. */
  suggested: z.boolean(),
})
/** One disk of a VM as the delete dialog lists it. */
export type DeletableDisk = z.infer<typeof DeletableDisk>

/** What deleting a VM would remove, for the confirmation dialog. */
export const DeletePlan = z.object({
  name: z.string(),
  /** Running (or paused): it is forced off first. */
  active: z.boolean(),
  /** A transient VM has no definition to remove: forcing it off deletes it. */
  persistent: z.boolean(),
  disks: z.array(DeletableDisk),
  /** Snapshots whose metadata goes with the VM. */
  snapshots: z.number().int().nonnegative(),
  /** The UEFI variable store file, when the VM has one. */
  nvram: z.string().optional(),
  /** A managed save image exists (it is removed). */
  managedSave: z.boolean(),
})
/** What deleting a VM would remove. */
export type DeletePlan = z.infer<typeof DeletePlan>

/** How a delete went: the VM is gone; these volumes were deleted, these were left. */
export const DeleteResult = z.object({
  deleted: z.array(z.string()),
  /** Volumes that could not be deleted, with libvirt's reason. */
  failed: z.array(z.object({ path: z.string(), message: z.string() })),
})
/** How a delete went. */
export type DeleteResult = z.infer<typeof DeleteResult>

/** Long jobs whose progress is reported while they run. */
export const VmJobOperation = z.enum(['save', 'managedsave'])
/** A long job. */
export type VmJobOperation = z.infer<typeof VmJobOperation>

/**
 * A long job of one VM (save to a file, managed save), pushed about twice a second while it
 * runs and once more when it has ended (its call's reply tells how it went).
 */
export const VmJobProgress = z.object({
  hostId: z.string(),
  uuid: z.string(),
  operation: VmJobOperation,
  /** Done so far, 0-1, from libvirt's job info; absent while libvirt does not know yet. */
  fraction: z.number().min(0).max(1).optional(),
  /** What the job moves in all, bytes (libvirt's data total; 0 while unknown). */
  totalBytes: z.number().nonnegative(),
  /** The job has ended; no more progress for it follows. */
  finished: z.boolean(),
})
/** A long job of one VM. */
export type VmJobProgress = z.infer<typeof VmJobProgress>

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
  /** Whether the VM starts with its host; persistent VMs only (libvirt refuses the rest). */
  setAutostart: method(VmRef.extend({ autostart: z.boolean() }), z.void()),
  /** What deleting the VM would remove: disks (with their pool volumes), snapshots, NVRAM. */
  deletePlan: method(VmRef, DeletePlan),
  /**
   * Deletes the VM: forces it off if it runs, removes its definition with its managed save,
   * snapshot and checkpoint metadata and NVRAM (unless kept), then deletes the chosen
   * volumes (paths of its own disks' pool volumes). A volume that fails is reported, not
   * thrown: the VM is already gone by then.
   */
  delete: method(
    VmRef.extend({
      volumes: z.array(HostPath).max(256),
      keepNvram: z.boolean().optional(),
    }),
    DeleteResult,
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
  /** Progress of saves and managed saves while they run. */
  onJobProgress: event(VmJobProgress),
  /** A stats tick per connected host (1 s by default). */
  onStats: event(VmStatsTick),
})
