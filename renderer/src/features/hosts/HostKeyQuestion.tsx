import { useTranslation } from 'react-i18next'
import type { HostEntry, HostPrompt } from '@common/contract/hosts'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { hostName } from './host-labels'
import { usePromptAnswer } from './use-prompt-answer'

type HostKeyPrompt = Extract<HostPrompt, { kind: 'host-key' }>

/** "Trust this host?": an SSH host key seen for the first time, shown as ssh shows it. */
export function HostKeyQuestion({
  host,
  prompt,
  waiting,
}: {
  host: HostEntry
  prompt: HostKeyPrompt
  /** Other hosts waiting on a question after this one. */
  waiting: number
}) {
  const { t } = useTranslation()
  const { send, cancel, busy, error } = usePromptAnswer(prompt.id)
  return (
    <Dialog
      title={t('prompt.hostKey.title')}
      open
      onClose={cancel}
      actions={
        <>
          <button type="button" className="button" disabled={busy} onClick={cancel}>
            {t('prompt.hostKey.reject')}
          </button>
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => void send({ kind: 'trust' })}
          >
            {t('prompt.hostKey.trust')}
          </button>
        </>
      }
    >
      <div className="prompt" data-testid="host-key-prompt">
        <p className="muted">{t('prompt.forHost', { name: hostName(host, t) })}</p>
        <p>{t('prompt.hostKey.unknown', { host: prompt.host })}</p>
        <dl className="facts prompt-facts">
          <dt>{t('prompt.hostKey.fingerprint', { keyType: prompt.keyType })}</dt>
          <dd className="mono fingerprint" data-testid="host-key-fingerprint">
            {prompt.fingerprint}
          </dd>
        </dl>
        {prompt.otherKnownTypes.length > 0 && (
          <p className="warning">
            {t('prompt.hostKey.otherTypes', { types: prompt.otherKnownTypes.join(', ') })}
          </p>
        )}
        <p className="hint">{t('prompt.hostKey.check')}</p>
        <p className="hint">
          {prompt.saveTo
            ? t('prompt.hostKey.saveTo', { file: prompt.saveTo })
            : t('prompt.hostKey.sessionOnly')}
        </p>
        {waiting > 0 && <p className="hint">{t('prompt.waiting', { count: waiting })}</p>}
        <ErrorText message={error} />
      </div>
    </Dialog>
  )
}
