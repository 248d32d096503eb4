import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HostEntry, HostPrompt } from '@common/contract/hosts'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { hostName } from './host-labels'
import { usePromptAnswer } from './use-prompt-answer'

type SecretPrompt = Extract<HostPrompt, { kind: 'secret' }>

/**
 * A password, key passphrase or SASL login a connection needs. The secret goes to main
 * once and is not kept here; "remember" keeps it in main's memory until the app quits.
 */
export function SecretQuestion({
  host,
  prompt,
  waiting,
}: {
  host: HostEntry
  prompt: SecretPrompt
  /** Other hosts waiting on a question after this one. */
  waiting: number
}) {
  const { t } = useTranslation()
  const { send, cancel, busy, error } = usePromptAnswer(prompt.id)
  const [username, setUsername] = useState(prompt.username ?? '')
  const [secret, setSecret] = useState('')
  const [remember, setRemember] = useState(false)
  const asksUser = prompt.username !== undefined
  const submit = () =>
    void send({
      kind: 'secret',
      secret,
      remember,
      ...(asksUser && { username: username.trim() }),
    })
  return (
    <Dialog
      title={t(`prompt.secret.title.${prompt.purpose}`, { target: prompt.target })}
      open
      onClose={cancel}
      actions={
        <>
          <button type="button" className="button" disabled={busy} onClick={cancel}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="secret-form"
            className="button primary"
            disabled={busy || (asksUser && username.trim() === '')}
          >
            {busy ? t('prompt.secret.sending') : t('prompt.secret.submit')}
          </button>
        </>
      }
    >
      <form
        id="secret-form"
        className="form prompt"
        data-testid="secret-prompt"
        onSubmit={(e) => {
          e.preventDefault()
          submit()
        }}
      >
        <p className="muted">{t('prompt.forHost', { name: hostName(host, t) })}</p>
        {prompt.refused ? (
          <div role="alert" className="prompt-refused">
            <p className="error-text">{t(`prompt.secret.refused.${prompt.purpose}`)}</p>
            <p className="muted mono">{prompt.refused}</p>
          </div>
        ) : (
          <p>{t(`prompt.secret.why.${prompt.purpose}`)}</p>
        )}
        {prompt.serverPrompt && (
          <p className="hint">{t('prompt.secret.serverPrompt', { prompt: prompt.serverPrompt })}</p>
        )}
        {asksUser && (
          <label className="field">
            <span>{t('prompt.secret.username')}</span>
            <input
              value={username}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
        )}
        <label className="field">
          <span>{t(`prompt.secret.label.${prompt.purpose}`)}</span>
          <input
            type="password"
            autoFocus
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
          />
          <span>{t('prompt.secret.remember')}</span>
        </label>
        {waiting > 0 && <p className="hint">{t('prompt.waiting', { count: waiting })}</p>}
        <ErrorText message={error} />
      </form>
    </Dialog>
  )
}
