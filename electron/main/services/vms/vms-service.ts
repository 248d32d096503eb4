import {
  destroyDomain,
  managedSave,
  restoreDomain,
  saveDomain,
  setAutostart,
  lookupDomain,
  rebootDomain,
  resetDomain,
  resumeDomain,
  shutdownDomain,
  startDomain,
  suspendDomain,
} from '@native'
import type { ServiceImpl } from '@common/contract/define'
import type { VmAction, vms } from '@common/contract/vms'
import type { ConnectionManager } from '../hosts/connection-manager'
import { buildDeletePlan } from './delete-plan'
import { deleteVm } from './delete-vm'
import type { JobProgressReporter } from './job-progress'
import type { StatsPoller } from './stats-poller'
import type { VmLists } from './vm-lists'

type Handle = Awaited<ReturnType<typeof lookupDomain>>['handle']
type Conn = NonNullable<ReturnType<ConnectionManager['connection']>>

/** Each action as the native call that performs it. */
const PERFORM: Record<
  VmAction,
  (conn: Conn, dom: Handle, signal: AbortSignal) => Promise<unknown>
> = {
  start: (c, d, signal) => startDomain(c, d, { signal }),
  shutdown: (c, d, signal) => shutdownDomain(c, d, { signal }),
  reboot: (c, d, signal) => rebootDomain(c, d, { signal }),
  reset: (c, d, signal) => resetDomain(c, d, { signal }),
  destroy: (c, d, signal) => destroyDomain(c, d, { signal }),
  suspend: (c, d, signal) => suspendDomain(c, d, { signal }),
  resume: (c, d, signal) => resumeDomain(c, d, { signal }),
  managedsave: (c, d, signal) => managedSave(c, d, { signal }),
}

/** The host is in the list but not connected: the action cannot run. */
export class HostNotConnectedError extends Error {
  override readonly name = 'HostNotConnectedError'
  readonly code = 'host-not-connected'
}

/** Implements the vms contract. */
export function createVmsService(
  lists: VmLists,
  connections: ConnectionManager,
  stats: StatsPoller,
  jobs: JobProgressReporter,
): ServiceImpl<typeof vms.spec> {
  const connected = (hostId: string): Conn => {
    const conn = connections.connection(hostId)
    if (!conn) throw new HostNotConnectedError('The host is not connected.')
    return conn
  }
  return {
    async lists() {
      return lists.lists()
    },
    async act({ hostId, uuid, action }, { signal }) {
      const conn = connected(hostId)
      const { handle } = await lookupDomain(conn, uuid, { signal })
      const work = PERFORM[action](conn, handle, signal)
      if (action !== 'managedsave') await work
      else await jobs.track({ hostId, uuid, operation: action, conn, dom: handle }, work)
    },
    async setAutostart({ hostId, uuid, autostart }, { signal }) {
      const conn = connected(hostId)
      const { handle } = await lookupDomain(conn, uuid, { signal })
      await setAutostart(conn, handle, autostart, { signal })
      // libvirt sends no event for this: re-list, so the change is shown when we resolve.
      await lists.refresh(hostId)
    },
    async deletePlan({ hostId, uuid }, { signal }) {
      return buildDeletePlan(connected(hostId), uuid, { signal })
    },
    async delete({ hostId, uuid, volumes, keepNvram }, { signal }) {
      return deleteVm(connected(hostId), uuid, { volumes, keepNvram: keepNvram ?? false, signal })
    },
    async save({ hostId, uuid, path }, { signal }) {
      const conn = connected(hostId)
      const { handle } = await lookupDomain(conn, uuid, { signal })
      const work = saveDomain(conn, handle, path, { signal })
      await jobs.track({ hostId, uuid, operation: 'save', conn, dom: handle }, work)
    },
    async restore({ hostId, path }, { signal }) {
      await restoreDomain(connected(hostId), path, { signal })
    },
    onListChanged(listener) {
      return lists.onChanged(listener)
    },
    onJobProgress(listener) {
      return jobs.onProgress(listener)
    },
    onStats(listener) {
      return stats.onTick(listener)
    },
  }
}
