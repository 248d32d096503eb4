import { useTranslation } from 'react-i18next'
import { useHostsStore } from '../../stores/hosts/store'
import { useUiStore } from '../../stores/ui/store'
import { ConnectionDot } from './ConnectionStatus'
import { hostName } from './host-labels'

/** The list of saved hosts, with the welcome entry on top and an add button. */
export function HostSidebar({ onAddHost }: { onAddHost(): void }) {
  const { t } = useTranslation()
  const hosts = useHostsStore((s) => s.hosts)
  const selectedId = useHostsStore((s) => s.selectedId)
  const selectHost = useHostsStore((s) => s.select)
  const showAllVms = useUiStore((s) => s.showAllVms)
  const allVms = useUiStore((s) => s.allVms)
  /** A host (or the welcome screen) replaces any open VM, even the same host's. */
  const select = (id: string | undefined) => {
    showAllVms(false)
    selectHost(id)
  }
  const connections = useHostsStore((s) => s.connections)
  return (
    <nav className="host-sidebar" aria-label={t('sidebar.hosts')}>
      <button
        type="button"
        className={`nav-item ${selectedId === undefined && !allVms ? 'selected' : ''}`}
        aria-current={selectedId === undefined && !allVms ? 'page' : undefined}
        onClick={() => select(undefined)}
      >
        {t('sidebar.home')}
      </button>
      <button
        type="button"
        className={`nav-item ${allVms ? 'selected' : ''}`}
        aria-current={allVms ? 'page' : undefined}
        onClick={() => {
          selectHost(undefined)
          showAllVms(true)
        }}
      >
        {t('sidebar.allVms')}
      </button>
      <div className="sidebar-heading">
        <span>{t('sidebar.hosts')}</span>
        <button
          type="button"
          className="icon-button"
          title={t('sidebar.addHost')}
          aria-label={t('sidebar.addHost')}
          onClick={onAddHost}
        >
          +
        </button>
      </div>
      {hosts.length === 0 && <p className="sidebar-empty">{t('sidebar.empty')}</p>}
      <ul className="host-list">
        {hosts.map((host) => (
          <li key={host.id}>
            <button
              type="button"
              className={`nav-item host-item ${host.id === selectedId ? 'selected' : ''}`}
              aria-current={host.id === selectedId ? 'page' : undefined}
              onClick={() => select(host.id)}
            >
              <span className="host-name">
                <ConnectionDot state={connections[host.id]} />
                {hostName(host, t)}
              </span>
              <span className="host-uri">{host.uri}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
