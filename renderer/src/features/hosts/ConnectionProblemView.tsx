import { useTranslation } from 'react-i18next'
import type { HostConnection } from '@common/contract/hosts'
import { HostKeyChangedWarning } from './HostKeyChangedWarning'

/** Why a host is not connected, what to do about it, and when the next attempt comes. */
export function ConnectionProblemView({ connection }: { connection: HostConnection }) {
  const { t } = useTranslation()
  const { problem, prompt } = connection
  if (prompt) return <p className="muted">{t('host.waitingForAnswer')}</p>
  if (!problem) return null
  if (problem.kind === 'host-key-changed' && problem.hostKey) {
    return <HostKeyChangedWarning hostKey={problem.hostKey} />
  }
  return (
    <div className="problem">
      <p>{t(`host.problem.${problem.kind}`)}</p>
      {problem.kind === 'host-key-unknown' && problem.hostKey && (
        <p className="mono fingerprint">
          {problem.hostKey.host} {problem.hostKey.keyType} {problem.hostKey.fingerprint}
        </p>
      )}
      {problem.unanswered && (
        <p>
          {t(`host.unanswered.${problem.unanswered}`)} {t('host.askAgain')}
        </p>
      )}
      <p className="muted mono">{problem.message}</p>
      {connection.retryInMs !== undefined && (
        <p className="muted">
          {t('host.retryIn', {
            seconds: Math.round(connection.retryInMs / 1000),
            attempt: connection.attempt,
          })}
        </p>
      )}
    </div>
  )
}
