import { useTranslation } from 'react-i18next'
import { useHostsStore } from '../../stores/hosts/store'
import { ConnectionDot } from './ConnectionStatus'

/** The list of saved hosts, with the welcome entry on top and an add button. */
export function HostSidebar({ onAddHost }: { onAddHost(): void }) {
  const { t } = useTranslation()
  const hosts = useHostsStore((s) => s.hosts)
  const selectedId = useHostsStore((s) => s.selectedId)
  const select = useHostsStore((s) => s.select)
  const connections = useHostsStore((s) => s.connections)
  return (
    <nav className="host-sidebar" aria-label={t('sidebar.hosts')}>
      <button
        type="button"
        className={`nav-item ${selectedId === undefined ? 'selected' : ''}`}
        aria-current={selectedId === undefined ? 'page' : undefined}
        onClick={() => select(undefined)}
      >
        {t('sidebar.home')}
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
                {host.name}
              </span>
              <span className="host-uri">{host.uri}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
