import type { SerializedError } from './serialized-error'

/**
 * The wire messages of the IPC channel. Requests and subscriptions carry an id chosen by
 * the client; replies and events echo it.
 */
export type ClientMessage =
  | { t: 'req'; id: number; service: string; method: string; input: unknown; timeoutMs?: number }
  | { t: 'cancel'; id: number }
  | { t: 'sub'; id: number; service: string; event: string }
  | { t: 'unsub'; id: number }

/** Messages from the server to the client. */
export type ServerMessage =
  | { t: 'ok'; id: number; value: unknown }
  | { t: 'err'; id: number; error: SerializedError }
  | { t: 'evt'; id: number; payload: unknown }

/** Narrows an unknown value to a ClientMessage by its shape (contents are checked later). */
export function isClientMessage(m: unknown): m is ClientMessage {
  if (typeof m !== 'object' || m === null) return false
  const { t, id } = m as { t?: unknown; id?: unknown }
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return false
  const named = m as { service?: unknown; method?: unknown; event?: unknown }
  switch (t) {
    case 'req':
      return typeof named.service === 'string' && typeof named.method === 'string'
    case 'sub':
      return typeof named.service === 'string' && typeof named.event === 'string'
    case 'cancel':
    case 'unsub':
      return true
    default:
      return false
  }
}

/** Narrows an unknown value to a ServerMessage by its shape. */
export function isServerMessage(m: unknown): m is ServerMessage {
  if (typeof m !== 'object' || m === null) return false
  const { t, id } = m as { t?: unknown; id?: unknown }
  return typeof id === 'number' && (t === 'ok' || t === 'err' || t === 'evt')
}
