import { lazy, Suspense, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorText } from '../../components/ErrorText'
import type { VmDetailsTab } from '../../stores/ui/initial-state'
import { useUiStore } from '../../stores/ui/store'
import { vmDetailsSelectors } from '../../stores/vm-details/selectors'
import { useVmDetailsStore } from '../../stores/vm-details/store'
import { useVmsStore } from '../../stores/vms/store'
import { MonitorPanel } from '../consoles/MonitorPanel'
import { VmActions } from '../vm-list/VmActions'
import { JobProgressBar } from '../vm-list/JobProgressBar'
import { VmStateBadge } from '../vm-list/VmStateBadge'
import { OverviewTab } from './OverviewTab'
import { XmlTab } from './XmlTab'

// uPlot loads only when someone opens the graphs.
const PerformanceTab = lazy(() =>
  import('./PerformanceTab').then((m) => ({ default: m.PerformanceTab })),
)
// noVNC loads only when someone opens the display.
const VncConsole = lazy(() =>
  import('../consoles/VncConsole').then((m) => ({ default: m.VncConsole })),
)
// xterm.js loads only when someone opens the serial console.
const SerialConsole = lazy(() =>
  import('../consoles/SerialConsole').then((m) => ({ default: m.SerialConsole })),
)

const TABS: VmDetailsTab[] = ['overview', 'display', 'serial', 'monitor', 'performance', 'xml']

/** Props of {@link VmDetails}. */
export interface VmDetailsProps {
  hostId: string
  uuid: string
  /** The host's name, for the way back. */
  hostName: string
}

/**
 * One VM in depth, in place of the host panel: a header with its state and the list's
 * lifecycle actions, then Overview, Performance and XML tabs. The details are fetched again
 * whenever the VM list reports a change to this VM (its state above all).
 */
export function VmDetails({ hostId, uuid, hostName }: VmDetailsProps) {
  const { t } = useTranslation()
  const vm = useVmsStore((s) => s.byHost[hostId]?.find((v) => v.uuid === uuid))
  const details = useVmDetailsStore(vmDetailsSelectors.details(hostId, uuid))
  const load = useVmDetailsStore((s) => s.load)
  const tab = useUiStore((s) => s.detailsTab)
  const showTab = useUiStore((s) => s.showDetailsTab)
  const closeVm = useUiStore((s) => s.closeVm)
  const [error, setError] = useState<string>()
  const [refreshes, setRefreshes] = useState(0)
  const title = useRef<HTMLHeadingElement>(null)
  // Any change the list reports (state, autostart, persistence ...) refetches the details.
  const summary = vm && JSON.stringify(vm)

  useEffect(() => title.current?.focus(), [])
  useEffect(() => {
    if (summary === undefined) return
    setError(undefined)
    load(hostId, uuid).catch((err: Error) => setError(err.message))
  }, [hostId, uuid, summary, refreshes, load])

  const back = (
    <button type="button" className="button small back" onClick={closeVm}>
      ← {t('details.back', { host: hostName })}
    </button>
  )
  if (!vm) {
    return (
      <section className="panel vm-details">
        {back}
        <p className="muted gone">{t('details.gone')}</p>
      </section>
    )
  }
  const onTabKey = (e: KeyboardEvent, index: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (step === 0) return
    e.preventDefault()
    const next = TABS[(index + step + TABS.length) % TABS.length]!
    showTab(next)
    document.getElementById(`vm-tab-${next}`)?.focus()
  }

  return (
    <section className="panel vm-details" aria-labelledby="vm-title">
      {back}
      <header className="panel-header">
        <div className="vm-heading">
          <h1 id="vm-title" ref={title} tabIndex={-1}>
            {vm.name}
          </h1>
          <VmStateBadge state={vm.state} />
          <JobProgressBar {...vm} />
          {details?.title && <span className="muted">{details.title}</span>}
        </div>
        <div className="panel-actions">
          <button type="button" className="button" onClick={() => setRefreshes((n) => n + 1)}>
            {t('details.refresh')}
          </button>
        </div>
      </header>
      <VmActions selected={[vm]} single />
      <div className="tabs" role="tablist" aria-label={t('details.tabsLabel')}>
        {TABS.map((name, i) => (
          <button
            key={name}
            id={`vm-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls="vm-tabpanel"
            tabIndex={tab === name ? 0 : -1}
            className={`tab ${tab === name ? 'active' : ''}`}
            onClick={() => showTab(name)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {t(`details.tab.${name}`)}
          </button>
        ))}
      </div>
      <div id="vm-tabpanel" role="tabpanel" aria-labelledby={`vm-tab-${tab}`} className="tabpanel">
        <ErrorText message={error} />
        {tab === 'overview' &&
          (details ? (
            <OverviewTab details={details} />
          ) : (
            !error && <p className="muted">{t('details.loading')}</p>
          ))}
        {tab === 'display' && (
          <Suspense fallback={<p className="muted">{t('details.loading')}</p>}>
            <VncConsole hostId={hostId} uuid={uuid} onOpenSerialConsole={() => showTab('serial')} />
          </Suspense>
        )}
        {tab === 'serial' && (
          <Suspense fallback={<p className="muted">{t('details.loading')}</p>}>
            <SerialConsole hostId={hostId} uuid={uuid} />
          </Suspense>
        )}
        {tab === 'monitor' && <MonitorPanel hostId={hostId} uuid={uuid} />}
        {tab === 'performance' && (
          <Suspense fallback={<p className="muted">{t('details.loading')}</p>}>
            <PerformanceTab
              uuid={uuid}
              running={vm.state === 'running'}
              currentMemoryKiB={details?.currentMemoryKiB ?? 0}
            />
          </Suspense>
        )}
        {tab === 'xml' && (
          <XmlTab
            hostId={hostId}
            uuid={uuid}
            state={vm.state}
            persistent={details?.persistent ?? false}
          />
        )}
      </div>
    </section>
  )
}
