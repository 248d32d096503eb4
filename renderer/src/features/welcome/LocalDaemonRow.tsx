import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { LocalDaemon } from '@common/contract/hosts'
import { CommandLine } from '../../components/CommandLine'
import { ErrorText } from '../../components/ErrorText'
import { problemText } from '../../components/problem-text'
import { StatusBadge, type Tone } from '../../components/StatusBadge'
import { useHostsStore } from '../../stores/hosts/store'
import { FIX_COMMANDS } from './install-advice'

const TONES: Record<LocalDaemon['status'], Tone> = {
  answering: 'good',
  'permission-denied': 'warn',
  'not-answering': 'bad',
}

/** One local daemon socket: what it is, whether it answers, and how to fix it if not. */
export function LocalDaemonRow({ daemon }: { daemon: LocalDaemon }) {
  const { t } = useTranslation()
  const add = useHostsStore((s) => s.add)
  const [error, setError] = useState<string>()
  const scopeName = t(`welcome.scope.${daemon.scope}`)
  const onAdd = () => add(daemon.uri).catch((err: unknown) => setError(problemText(err, t)))
  return (
    <li className="daemon-row" data-testid={`local-${daemon.scope}`}>
      <div className="daemon-main">
        <div className="daemon-title">
          <strong>{scopeName}</strong>
          <code>{daemon.uri}</code>
          <StatusBadge tone={TONES[daemon.status]} label={t(`welcome.status.${daemon.status}`)} />
          {daemon.readOnly && <StatusBadge tone="neutral" label={t('welcome.readOnly')} />}
        </div>
        <p className="muted">
          {t(`welcome.scope.${daemon.scope}Note`)} <span className="mono">{daemon.daemon}</span> ·{' '}
          <span className="mono">{daemon.socketPath}</span>
        </p>
        {daemon.status !== 'answering' && (
          <div className="fix">
            <p>{t(`welcome.fix.${daemon.status}`)}</p>
            <CommandLine command={FIX_COMMANDS[daemon.status]} />
            {daemon.scope === 'system' && daemon.status === 'permission-denied' && (
              <p className="muted">{t('welcome.fix.sessionInstead')}</p>
            )}
          </div>
        )}
        <ErrorText message={error} />
      </div>
      <div className="daemon-action">
        {daemon.added ? (
          <span className="muted">{t('welcome.added')}</span>
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={daemon.status !== 'answering'}
            onClick={() => void onAdd()}
          >
            {t('welcome.addLocal')}
          </button>
        )}
      </div>
    </li>
  )
}
