import { useTranslation } from 'react-i18next'
import { CommandLine } from '../../components/CommandLine'
import { useHostsStore } from '../../stores/hosts/store'
import { hostsSelectors } from '../../stores/hosts/selectors'
import { INSTALL_COMMANDS } from './install-advice'
import { LocalDaemonRow } from './LocalDaemonRow'

/**
 * The first screen: the libvirt daemons found on this computer (with how to fix one that does
 * not answer), how to install libvirt when there is none, and the way to add a remote host.
 */
export function WelcomeScreen({ onAddHost }: { onAddHost(): void }) {
  const { t } = useTranslation()
  const discovery = useHostsStore((s) => s.discovery)
  const discovering = useHostsStore((s) => s.discovering)
  const discover = useHostsStore((s) => s.discover)
  const noneFound = useHostsStore(hostsSelectors.noLocalDaemon)
  const platform = discovery?.platform ?? 'linux'
  const commands = INSTALL_COMMANDS[platform]

  return (
    <section className="panel welcome" aria-labelledby="welcome-title">
      <header className="panel-header">
        <div>
          <h1 id="welcome-title">{t('welcome.title')}</h1>
          <p className="muted">{t('welcome.intro')}</p>
        </div>
      </header>

      <section className="card" aria-labelledby="local-title">
        <div className="card-header">
          <h2 id="local-title">{t('welcome.localTitle')}</h2>
          <button
            type="button"
            className="button"
            disabled={discovering}
            onClick={() => void discover()}
          >
            {discovering ? t('welcome.scanning') : t('welcome.rescan')}
          </button>
        </div>
        {discovery === undefined ? (
          <p className="muted">{t('welcome.scanning')}</p>
        ) : (
          <>
            {discovery.daemons.length > 0 && (
              <ul className="daemon-list">
                {discovery.daemons.map((d) => (
                  <LocalDaemonRow key={d.socketPath} daemon={d} />
                ))}
              </ul>
            )}
            {noneFound && (
              <div className="advice" data-testid="install-advice">
                <h3>{t('welcome.none.title')}</h3>
                <p>
                  {t(
                    `welcome.none.${platform === 'darwin' || platform === 'win32' ? platform : 'linux'}`,
                  )}
                </p>
                {commands?.map((c) => (
                  <CommandLine key={c} command={c} />
                ))}
                {commands && <p className="muted">{t('welcome.none.after')}</p>}
              </div>
            )}
          </>
        )}
      </section>

      <section className="card" aria-labelledby="remote-title">
        <div className="card-header">
          <div>
            <h2 id="remote-title">{t('welcome.remoteTitle')}</h2>
            <p className="muted">{t('welcome.remoteBody')}</p>
          </div>
          <button type="button" className="button primary" onClick={onAddHost}>
            {t('welcome.addRemote')}
          </button>
        </div>
      </section>
    </section>
  )
}
