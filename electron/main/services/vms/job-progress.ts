/**
 * Progress of a VM's long jobs (save to a file, managed save). While the job's own call is
 * in flight, libvirt's job info is read on the same connection every `pollMs` and pushed to
 * the pages. A first report (without numbers) goes out as the call starts, a last one once
 * it has settled. Nothing is polled when no such call runs.
 */
import { DomainJobType, getJobProgress, type Connection, type DomainSummary } from '@native'
import { Emitter, type Disposable } from '@common/lifecycle'
import type { VmJobOperation, VmJobProgress } from '@common/contract/vms'

/** Which job of which VM, and where to ask about it. */
export interface TrackedJob {
  hostId: string
  uuid: string
  operation: VmJobOperation
  conn: Connection
  dom: DomainSummary['handle']
}

/** Reports the progress of long jobs while their calls run. */
export class JobProgressReporter implements Disposable {
  private readonly reports = new Emitter<VmJobProgress>()
  /** Tracked calls per VM (hostId + uuid): a second save libvirt refuses at once must not end the bar of the first. */
  private readonly running = new Map<string, Set<() => void>>()
  /** Every report: at the start, about twice a second per running job, and at its end. */
  readonly onProgress = this.reports.event

  constructor(private readonly pollMs = 500) {}

  /** Jobs being watched now (for leak checks). */
  get watching(): number {
    let n = 0
    for (const calls of this.running.values()) n += calls.size
    return n
  }

  /** Resolves or rejects as `work` does, reporting the job's progress until then. */
  async track<T>(job: TrackedJob, work: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    let ended = false
    const base = { hostId: job.hostId, uuid: job.uuid, operation: job.operation }
    const poll = async (): Promise<void> => {
      const info = await getJobProgress(job.conn, job.dom, { timeoutMs: 5_000 }).catch(
        () => undefined, // the job may have just ended, and the VM with it
      )
      if (ended) return
      // COMPLETED: the memory is written and libvirt is stopping the VM (a second or two).
      const written = info?.type === DomainJobType.COMPLETED
      if (info?.active || written) {
        const fraction = written ? 1 : info.fraction
        this.reports.fire({
          ...base,
          ...(fraction !== undefined && { fraction }),
          totalBytes: info.totalBytes,
          finished: false,
        })
      }
      timer = setTimeout(() => void poll(), this.pollMs)
    }
    const stop = (): void => {
      ended = true
      clearTimeout(timer)
    }
    const key = `${job.hostId}\n${job.uuid}`
    const calls = this.running.get(key) ?? new Set<() => void>()
    this.running.set(key, calls.add(stop))
    // At once, before libvirt has numbers: the page shows the save has begun.
    if (calls.size === 1) this.reports.fire({ ...base, totalBytes: 0, finished: false })
    timer = setTimeout(() => void poll(), this.pollMs)
    try {
      return await work
    } finally {
      stop()
      calls.delete(stop)
      if (calls.size === 0) {
        this.running.delete(key)
        this.reports.fire({ ...base, totalBytes: 0, finished: true })
      }
    }
  }

  dispose(): void {
    for (const calls of this.running.values()) for (const stop of calls) stop()
    this.running.clear()
    this.reports.dispose()
  }
}
