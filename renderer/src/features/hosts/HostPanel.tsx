import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HostEntry } from '@common/contract/hosts'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { problemText } from '../../components/problem-text'
import { useHostsStore } from '../../stores/hosts/store'
import { hostsSelectors } from '../../stores/hosts/selectors'
import { ConnectionProblemView } from './ConnectionProblemView'
import { ConnectionBadge } from './ConnectionStatus'
import { VmList } from '../vm-list/VmList'
import { HostOverviewCard } from './HostOverviewCard'
import { describeTarget, hostName } from './host-labels'
import { formatLocalDateTime } from './local-date-time'

/** A saved host: its name (renamable), URI and connection summary, and removal. */
export function HostPanel({ host }: { host: HostEntry }) {
  const { t } = useTranslation()
  const name = hostName(host, t)
  const rename = useHostsStore((s) => s.rename)
  const remove = useHostsStore((s) => s.remove)
  const connect = useHostsStore((s) => s.connect)
  const disconnect = useHostsStore((s) => s.disconnect)
  const connection = useHostsStore(hostsSelectors.connection(host.id))
  const live = connection?.status === 'connected' || connection?.status === 'connecting'
  const [editing, setEditing] = useState<string>()
  const [confirming, setConfirming] = useState(false)
  const [error, setError] = useState<string>()

  const run = async (work: () => Promise<void>) => {
    setError(undefined)
    try {
      await work()
      return true
    } catch (err) {
      setError(problemText(err, t))
      return false
    }
  }

  return (
    <section className="panel" aria-labelledby="host-title">
      <header className="panel-header">
        {editing === undefined ? (
          <h1 id="host-title">{name}</h1>
        ) : (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault()
              void run(() => rename(host.id, editing)).then((ok) => ok && setEditing(undefined))
            }}
          >
            <input
              autoFocus
              aria-label={t('host.rename')}
              value={editing}
              placeholder={hostName({ target: host.target }, t)}
              onChange={(e) => setEditing(e.target.value)}
            />
            <button type="submit" className="button primary small">
              {t('common.save')}
            </button>
            <button type="button" className="button small" onClick={() => setEditing(undefined)}>
              {t('common.cancel')}
            </button>
          </form>
        )}
        <div className="panel-actions">
          <button
            type="button"
            className="button"
            onClick={() => void run(() => (live ? disconnect(host.id) : connect(host.id)))}
          >
            {live ? t('host.disconnect') : t('host.connect')}
          </button>
          {editing === undefined && (
            <button type="button" className="button" onClick={() => setEditing(host.name ?? '')}>
              {t('host.rename')}
            </button>
          )}
          <button type="button" className="button danger" onClick={() => setConfirming(true)}>
            {t('host.remove')}
          </button>
        </div>
      </header>
      <ErrorText message={error} />
      <dl className="facts">
        <dt>{t('host.connection')}</dt>
        <dd data-testid="host-connection">
          <ConnectionBadge state={connection} />
          {connection?.readOnly && <span className="muted"> · {t('host.readOnly')}</span>}
          {connection && <ConnectionProblemView connection={connection} />}
        </dd>
        {connection?.hostname && (
          <>
            <dt>{t('host.hostname')}</dt>
            <dd>{connection.hostname}</dd>
            <dt>{t('host.libVersion')}</dt>
            <dd>{connection.libVersion}</dd>
          </>
        )}
        <dt>{t('host.uri')}</dt>
        <dd>
          <code>{host.uri}</code>
        </dd>
        <dt>{t('host.summary')}</dt>
        <dd>
          {host.isLocal ? t('host.local') : t('host.remote')} · {describeTarget(host.target, t)}
        </dd>
        <dt>{t('host.added')}</dt>
        <dd>
          <time dateTime={host.addedAt}>{formatLocalDateTime(new Date(host.addedAt))}</time>
        </dd>
      </dl>
      {connection?.status === 'connected' && (
        <>
          <HostOverviewCard hostId={host.id} />
          <VmList hostId={host.id} />
        </>
      )}
      <Dialog
        title={t('host.removeConfirmTitle', { name })}
        open={confirming}
        onClose={() => setConfirming(false)}
        actions={
          <>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => void run(() => remove(host.id)).then(() => setConfirming(false))}
            >
              {t('host.remove')}
            </button>
          </>
        }
      >
        <p>{t('host.removeConfirmBody')}</p>
      </Dialog>
    </section>
  )
}
