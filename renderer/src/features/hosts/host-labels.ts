import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { HostEntry, UriTarget } from '@common/contract/hosts'

type Named = Pick<HostEntry, 'name' | 'target'>

/** "System", "会话"; a driver without scopes (test, vbox) names itself. */
function scopeName(target: UriTarget, t: TFunction): string {
  return target.scope ? t(`welcome.scope.${target.scope}`) : target.driver
}

/**
 * A host's name as the UI shows it: the user's own, or a default worded in the UI's language
 * now ("This computer (System)", "本机（系统）", "server (Session)"), so it follows a switch.
 */
export function hostName(host: Named, t: TFunction): string {
  if (host.name) return host.name
  const scope = scopeName(host.target, t)
  return host.target.host === undefined
    ? t('host.defaultName.local', { scope })
    : t('host.defaultName.remote', { host: host.target.host, scope })
}

/** What a URI reaches, in a line: "qemu on root@server:22 over ssh (System)". */
export function describeTarget(target: UriTarget, t: TFunction): string {
  const { user, host, port } = target
  const where = host
    ? `${user ? `${user}@` : ''}${host}${port ? `:${port}` : ''}`
    : t('host.target.thisMachine')
  const parts = { driver: target.driver, where, transport: target.transport }
  return target.scope
    ? t('host.target.scoped', { ...parts, scope: scopeName(target, t) })
    : t('host.target.plain', parts)
}

/** `hostName` bound to the UI's current language. */
export function useHostName(): (host: Named) => string {
  const { t } = useTranslation()
  return (host) => hostName(host, t)
}
