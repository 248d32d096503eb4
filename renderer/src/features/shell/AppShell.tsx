import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAppStore } from '../../stores/app/store'
import { useHostsStore } from '../../stores/hosts/store'
import { hostsSelectors } from '../../stores/hosts/selectors'
import { AddHostDialog } from '../hosts/AddHostDialog'
import { HostPanel } from '../hosts/HostPanel'
import { HostSidebar } from '../hosts/HostSidebar'
import { WelcomeScreen } from '../welcome/WelcomeScreen'
import { LanguageSwitch } from './LanguageSwitch'
import { LinkProblem } from './LinkProblem'

/** The window's layout: sidebar of hosts, the selected host or the welcome screen. */
export function AppShell() {
  const { t } = useTranslation()
  const link = useAppStore((s) => s.link)
  const info = useAppStore((s) => s.info)
  const selected = useHostsStore(hostsSelectors.selected)
  const [adding, setAdding] = useState(false)

  if (link.status === 'connecting') {
    return <main className="link-problem">{t('app.connecting')}</main>
  }
  if (link.status !== 'ready') return <LinkProblem link={link} />

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
        <LanguageSwitch />
      </aside>
      <main className="content">
        {selected ? (
          <HostPanel key={selected.id} host={selected} />
        ) : (
          <WelcomeScreen onAddHost={() => setAdding(true)} />
        )}
      </main>
      <AddHostDialog open={adding} onClose={() => setAdding(false)} />
    </div>
  )
}
