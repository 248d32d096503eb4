/** The kinds of connection the add-host form builds URIs for. */
export type ConnectionKind = 'ssh' | 'tls' | 'tcp' | 'uri'

/** The add-host form's fields. */
export interface HostForm {
  kind: ConnectionKind
  user: string
  host: string
  port: string
  scope: 'system' | 'session'
  uri: string
}

/** A fresh form: SSH as root to the system daemon. */
export const emptyHostForm: HostForm = {
  kind: 'ssh',
  user: 'root',
  host: '',
  port: '',
  scope: 'system',
  uri: '',
}

/** Builds the libvirt URI the form describes (validation happens in main). */
export function buildUri(form: HostForm): string {
  if (form.kind === 'uri') return form.uri.trim()
  const host = form.host.trim()
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  const user =
    form.kind === 'ssh' && form.user.trim() ? `${encodeURIComponent(form.user.trim())}@` : ''
  const port = form.port.trim() ? `:${form.port.trim()}` : ''
  return `qemu+${form.kind}://${user}${bracketed}${port}/${form.scope}`
}
