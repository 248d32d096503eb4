import { lazy, Suspense, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useConsolesStore } from '../../stores/consoles/store'
import { useVmsStore } from '../../stores/vms/store'
import type { ConsoleKind, ConsoleRoute } from './console-route'
import { MonitorPanel } from './MonitorPanel'

// Only the console the window shows is loaded (noVNC and xterm.js are large).
const VncConsole = lazy(() => import('./VncConsole').then((m) => ({ default: m.VncConsole })))
const SerialConsole = lazy(() =>
  import('./SerialConsole').then((m) => ({ default: m.SerialConsole })),
)

/** The window title of each console kind (the VM's name goes in). */
const TITLE_KEYS: Record<ConsoleKind, string> = {
  vnc: 'vnc.detached.title',
  serial: 'consoles.detached.serial',
  monitor: 'consoles.detached.monitor',
}

/** A console in a window (or tab) of its own: only the console, named after the VM. */
export function DetachedConsole({ route }: { route: ConsoleRoute }) {
  const { t } = useTranslation()
  const { kind, hostId, uuid } = route
  const vm = useVmsStore((s) => s.byHost[hostId]?.find((v) => v.uuid === uuid))
  const expectHandOver = useConsolesStore((s) => s.expectHandOver)
  const name = vm?.name ?? uuid

  useEffect(() => {
    document.title = t(TITLE_KEYS[kind], { name })
  }, [t, kind, name])

  // The page that opened this window has just closed its own session of the serial console.
  useEffect(() => {
    if (kind === 'serial') expectHandOver(hostId, uuid)
  }, [kind, hostId, uuid, expectHandOver])

  return (
    <main className="detached-console">
      <header className="detached-header">
        <h1>{name}</h1>
        {!vm && <span className="muted">{t('vnc.detached.unknownVm')}</span>}
      </header>
      <Suspense fallback={<p className="muted">{t('details.loading')}</p>}>
        {kind === 'vnc' && <VncConsole hostId={hostId} uuid={uuid} detached />}
        {kind === 'serial' && <SerialConsole hostId={hostId} uuid={uuid} detached />}
        {kind === 'monitor' && <MonitorPanel hostId={hostId} uuid={uuid} detached />}
      </Suspense>
    </main>
  )
}
