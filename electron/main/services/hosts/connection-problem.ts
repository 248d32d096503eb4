import {
  fingerprintSha256,
  HostKeyMismatchError,
  HostKeyUnknownError,
  parseKnownHosts,
  type KnownHostsLineRef,
} from '@native'
import type { HostConnection, KnownHostKey } from '@common/contract/hosts'
import { PromptUnansweredError } from './prompt-broker'

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
 * back (retry with backoff); a permission, authentication, host key or URI problem will
 * not, nor will a question the user left unanswered.
 */
export function classifyConnectError(err: unknown): Classified {
  const message = err instanceof Error ? err.message : String(err)
  const name = err instanceof Error ? err.name : ''
  const errno = errnoOf(err)
  if (err instanceof PromptUnansweredError) {
    const { question, reason } = err
    if (question.kind === 'host-key') {
      const { host, keyType, fingerprint } = question
      const hostKey = { host, keyType, fingerprint }
      return {
        problem: { kind: 'host-key-unknown', message, hostKey, unanswered: reason },
        retry: false,
      }
    }
    return { problem: { kind: 'unanswered', message, unanswered: reason }, retry: false }
  }
  if (err instanceof HostKeyMismatchError) {
    const hostKey = {
      host: err.host,
      keyType: err.keyType,
      fingerprint: err.fingerprint,
      known: err.known.map(recordedKey),
      revoked: err.revoked,
    }
    return { problem: { kind: 'host-key-changed', message, hostKey }, retry: false }
  }
  if (err instanceof HostKeyUnknownError) {
    const hostKey = { host: err.host, keyType: err.keyType, fingerprint: err.fingerprint }
    return { problem: { kind: 'host-key-unknown', message, hostKey }, retry: false }
  }
  if (errno === 'EACCES' || errno === 'EPERM') {
    return { problem: { kind: 'permission-denied', message }, retry: false }
  }
  if (errno === 'ENOENT' || errno === 'ECONNREFUSED') {
    return { problem: { kind: 'not-running', message }, retry: true }
  }
  if (/^(Ssh|HostKey|Auth|Sasl)/.test(name) && name !== 'SshConnectError') {
    return { problem: { kind: 'auth', message }, retry: false }
  }
  if (name === 'ConnectionLostError') return { problem: { kind: 'lost', message }, retry: true }
  if (name === 'TransportError' || name === 'RpcTimeoutError' || name === 'SshConnectError') {
    return { problem: { kind: 'unreachable', message }, retry: true }
  }
  return { problem: { kind: 'other', message }, retry: false }
}

/** A known_hosts line that disagrees with the server, with the fingerprint of its key. */
function recordedKey(ref: KnownHostsLineRef): KnownHostKey {
  const entry = parseKnownHosts(ref.text).entries[0]
  return {
    file: ref.file,
    line: ref.line,
    keyType: entry?.keyType ?? '',
    fingerprint: entry ? fingerprintSha256(entry.key) : '',
  }
}

/** Delay before attempt `n` (1-based): 1 s, 2 s, 4 s ... capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1))
}
