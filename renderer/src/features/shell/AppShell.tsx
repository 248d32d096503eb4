import { lazy, Suspense, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAppStore } from '../../stores/app/store'
import { useHostsStore } from '../../stores/hosts/store'
import { hostsSelectors } from '../../stores/hosts/selectors'
import { useUiStore } from '../../stores/ui/store'
import { consoleRouteOf } from '../consoles/console-route'
import { AddHostDialog } from '../hosts/AddHostDialog'
import { HostPanel } from '../hosts/HostPanel'
import { AllVmsPanel } from '../vm-list/AllVmsPanel'
import { HostPromptDialog } from '../hosts/HostPromptDialog'
import { HostSidebar } from '../hosts/HostSidebar'
import { useHostName } from '../hosts/host-labels'
import { SettingsNoticeBanner } from '../settings/SettingsNoticeBanner'
import { useApplySettings } from '../settings/use-apply-settings'
import { WelcomeScreen } from '../welcome/WelcomeScreen'
import { LanguageSwitch } from './LanguageSwitch'
import { LinkProblem } from './LinkProblem'

// A console opened in a window of its own shows only that console (noVNC loads on demand).
const consoleRoute = consoleRouteOf(window.location.hash)
const DetachedConsole = lazy(() =>
  import('../consoles/DetachedConsole').then((m) => ({ default: m.DetachedConsole })),
)
// Loaded when first shown: the first screen (a host's VM list) needs neither, nor the zod
// schemas the settings form validates with.
const VmDetails = lazy(() =>
  import('../vm-details/VmDetails').then((m) => ({ default: m.VmDetails })),
)
const SettingsDialog = lazy(() =>
  import('../settings/SettingsDialog').then((m) => ({ default: m.SettingsDialog })),
)

/** The window's layout: sidebar of hosts; the selected host, one of its VMs, or the welcome screen. */
export function AppShell() {
  const { t } = useTranslation()
  const nameOf = useHostName()
  const link = useAppStore((s) => s.link)
  const info = useAppStore((s) => s.info)
  const selected = useHostsStore(hostsSelectors.selected)
  const openedVm = useUiStore((s) => s.openedVm)
  const allVms = useUiStore((s) => s.allVms)
  const [adding, setAdding] = useState(false)
  const [settingsOpen, setSettingsOpen] = useState(false)
  useApplySettings()

  if (link.status === 'connecting') {
    return <main className="link-problem">{t('app.connecting')}</main>
  }
  if (link.status !== 'ready') return <LinkProblem link={link} />
  if (consoleRoute) {
    return (
      <Suspense fallback={<main className="link-problem">{t('app.connecting')}</main>}>
        <DetachedConsole route={consoleRoute} />
      </Suspense>
    )
  }

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <img src="./icon.svg" alt="" width={28} height={28} />
          <div>
            <div className="brand-name">{t('app.name')}</div>
            {info && <div className="brand-version">v{info.version}</div>}
          </div>
        </div>
        <HostSidebar onAddHost={() => setAdding(true)} />
        <button
          type="button"
          className="nav-item settings-button"
          onClick={() => setSettingsOpen(true)}
        >
          {t('settings.open')}
        </button>
        <LanguageSwitch />
      </aside>
      <main className="content">
        <SettingsNoticeBanner />
        {selected && openedVm?.hostId === selected.id ? (
          <Suspense fallback={null}>
            <VmDetails
              key={openedVm.uuid}
              hostId={selected.id}
              uuid={openedVm.uuid}
              hostName={nameOf(selected)}
            />
          </Suspense>
        ) : allVms ? (
          <AllVmsPanel />
        ) : selected ? (
          <HostPanel key={selected.id} host={selected} />
        ) : (
          <WelcomeScreen onAddHost={() => setAdding(true)} />
        )}
      </main>
      <AddHostDialog open={adding} onClose={() => setAdding(false)} />
      {settingsOpen && (
        <Suspense fallback={null}>
          <SettingsDialog open onClose={() => setSettingsOpen(false)} />
        </Suspense>
      )}
      <HostPromptDialog />
    </div>
  )
}
