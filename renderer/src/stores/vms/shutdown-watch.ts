import type { VmState } from '@common/contract/vms'

/** How long an ACPI "Shut down" may take before Force off is offered (as in virt-manager). */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 60_000

/** The longest timeout the page parameter may ask for: an hour. */
const MAX_TIMEOUT_S = 3600

/**
 * The shutdown timeout for this page: `?shutdownTimeout=SECONDS` (1 to 3600, whole
 * seconds) in the page's address overrides the default, so tests need not wait a minute.
 * Anything else in that parameter is ignored.
 */
export function shutdownTimeoutMs(search: string): number {
  const raw = new URLSearchParams(search).get('shutdownTimeout')
  if (raw === null || !/^\d+$/.test(raw)) return DEFAULT_SHUTDOWN_TIMEOUT_MS
  const seconds = Number(raw)
  return seconds >= 1 && seconds <= MAX_TIMEOUT_S ? seconds * 1000 : DEFAULT_SHUTDOWN_TIMEOUT_MS
}

/** States in which a VM asked to shut down has not got there yet. */
const STILL_UP = new Set<VmState>(['running', 'blocked', 'paused', 'shutdown', 'pmsuspended'])

/** Whether a watched VM in this state (undefined: gone from the list) is still up. */
export function stillUp(state: VmState | undefined): boolean {
  return state !== undefined && STILL_UP.has(state)
}

/** The key of a watched VM: host and UUID (the same VM may be on two hosts). */
export function watchKey(hostId: string, uuid: string): string {
  return `${hostId}\n${uuid}`
}

/** Elapsed time as m:ss (h:mm:ss from an hour on), e.g. 1:05. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}
