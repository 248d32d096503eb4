/**
 * A domain's running job (save, managed save, dump, migration...) as plain numbers, for
 * progress bars: DOMAIN_GET_JOB_INFO. libvirt answers it while the job's own call is still
 * in flight on the same connection (it reads the job's counters without taking the job).
 */
import { DomainJobType } from '../protocol/generated/flags.gen'
import type { NonnullDomain } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import type { HasRemote } from './host'

/** A domain's current job. Byte counts stay below 2^53 (they count guest memory and disk). */
export interface JobProgress {
  /** virDomainJobType: NONE when no job runs, BOUNDED when `remaining` is known. */
  type: number
  /** A job runs (BOUNDED or UNBOUNDED). */
  active: boolean
  elapsedMs: number
  /** Everything the job moves (memory, disk, file), in bytes; 0 while libvirt does not know. */
  totalBytes: number
  processedBytes: number
  remainingBytes: number
  /** Done so far, 0-1, from total and remaining (as virt-manager shows it); undefined when unknown. */
  fraction: number | undefined
}

/** The domain's current job, if any (DOMAIN_GET_JOB_INFO). */
export async function getJobProgress(
  conn: HasRemote,
  dom: NonnullDomain,
  options: CallOptions = {},
): Promise<JobProgress> {
  const r = await conn.remote.domainGetJobInfo({ dom }, options)
  const totalBytes = Number(r.dataTotal)
  const remainingBytes = Number(r.dataRemaining)
  const active = r.type === DomainJobType.BOUNDED || r.type === DomainJobType.UNBOUNDED
  return {
    type: r.type,
    active,
    elapsedMs: Number(r.timeElapsed),
    totalBytes,
    processedBytes: Number(r.dataProcessed),
    remainingBytes,
    fraction:
      active && totalBytes > 0
        ? Math.min(1, Math.max(0, (totalBytes - remainingBytes) / totalBytes))
        : undefined,
  }
}
