import type { HostConnection } from '@common/contract/hosts'

type Problem = NonNullable<HostConnection['problem']>

/** Whether another attempt may help, and what to tell the user. */
export interface Classified {
  problem: Problem
  retry: boolean
}

const errnoOf = (err: unknown): unknown =>
  (err as { details?: { errno?: unknown } }).details?.errno ??
  ((err as { cause?: { code?: unknown } }).cause?.code as unknown)

/**
 * Sorts a failed connect into what the UI needs: a missing or refusing daemon may come
 * back (retry with backoff); a permission, authentication or URI problem will not.
 */
export function classifyConnectError(err: unknown): Classified {
  const message = err instanceof Error ? err.message : String(err)
  const name = err instanceof Error ? err.name : ''
  const errno = errnoOf(err)
  if (errno === 'EACCES' || errno === 'EPERM') {
    return { problem: { kind: 'permission-denied', message }, retry: false }
  }
  if (errno === 'ENOENT' || errno === 'ECONNREFUSED') {
    return { problem: { kind: 'not-running', message }, retry: true }
  }
  if (/^(Ssh|HostKey|Auth)/.test(name)) return { problem: { kind: 'auth', message }, retry: false }
  if (name === 'ConnectionLostError') return { problem: { kind: 'lost', message }, retry: true }
  if (name === 'TransportError' || name === 'RpcTimeoutError' || name === 'SshConnectError') {
    return { problem: { kind: 'unreachable', message }, retry: true }
  }
  return { problem: { kind: 'other', message }, retry: false }
}

/** Delay before attempt `n` (1-based): 1 s, 2 s, 4 s ... capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1))
}
