import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useVmsStore } from '../../stores/vms/store'
import type { ConsoleRoute } from './console-route'
import { VncConsole } from './VncConsole'

/** A console in a window (or tab) of its own: only the console, named after the VM. */
export function DetachedConsole({ route }: { route: ConsoleRoute }) {
  const { t } = useTranslation()
  const vm = useVmsStore((s) => s.byHost[route.hostId]?.find((v) => v.uuid === route.uuid))
  const name = vm?.name ?? route.uuid

  useEffect(() => {
    document.title = t('vnc.detached.title', { name })
  }, [t, name])

  return (
    <main className="detached-console">
      <header className="detached-header">
        <h1>{name}</h1>
        {!vm && <span className="muted">{t('vnc.detached.unknownVm')}</span>}
      </header>
      <VncConsole hostId={route.hostId} uuid={route.uuid} detached />
    </main>
  )
}
