import type { TFunction } from 'i18next'

/** Errors of ours that carry a reason to word in the UI's language, by error name. */
const WORDED: Record<string, string> = {
  UriError: 'problems.uri',
  HostRegistryError: 'problems.hosts',
}

interface Reasoned {
  name?: unknown
  message?: unknown
  details?: { reason?: unknown; values?: unknown }
}

/**
 * What to show for a failed request: our own refusals (a bad URI, a host already listed) in
 * the UI's language from their reason and values; anything else, libvirt's errors included,
 * as its message.
 */
export function problemText(err: unknown, t: TFunction): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Reasoned
  const message = typeof e.message === 'string' ? e.message : String(err)
  const group = typeof e.name === 'string' ? WORDED[e.name] : undefined
  const reason = e.details?.reason
  if (!group || typeof reason !== 'string') return message
  const key = `${group}.${reason}`
  const values = (e.details?.values ?? {}) as Record<string, string>
  return t(key, { ...values, defaultValue: message })
}
