import { useTranslation } from 'react-i18next'
import { SerialCloseReason } from '@common/contract/consoles'
import type { SerialSession, SerialSessionState } from './serial-session'

const KNOWN_REASONS = new Set<string>(Object.values(SerialCloseReason))

/** Props of {@link SerialStatusLine}. */
export interface SerialStatusLineProps {
  session: SerialSession | undefined
  state: SerialSessionState
}

/**
 * Where the serial console is, in one line: connecting, connected, closed and why, failed and
 * why; for a console another client holds, a warning and the offer to take it over.
 */
export function SerialStatusLine({ session, state }: SerialStatusLineProps) {
  const { t } = useTranslation()
  const { status } = state
  const reason = (text: string) =>
    KNOWN_REASONS.has(text) ? t(`consoles.serial.reason.${text}`) : text

  if (status.kind === 'busy') {
    return (
      <div className="serial-busy" role="alert" data-testid="serial-status" data-state="busy">
        <p>
          <strong>{t('consoles.serial.status.busy')}</strong> {t('consoles.serial.takeOverWarning')}
        </p>
        <p className="muted">{status.message}</p>
        <button type="button" className="button danger" onClick={() => void session?.takeOver()}>
          {t('consoles.serial.takeOver')}
        </button>
      </div>
    )
  }
  let text: string
  let tone: 'good' | 'warn' | 'bad' | 'neutral'
  switch (status.kind) {
    case 'connected':
      text = t('consoles.serial.status.connected', { device: state.device ?? '' })
      tone = 'good'
      break
    case 'connecting':
      text = t('consoles.serial.status.connecting')
      tone = 'neutral'
      break
    case 'vm-off':
      text = t('consoles.serial.status.vm-off')
      tone = 'neutral'
      break
    case 'no-device':
      text = t('consoles.serial.status.no-device')
      tone = 'warn'
      break
    case 'closed':
      text = t('consoles.serial.status.closed', { reason: reason(status.reason) })
      tone = 'warn'
      break
    case 'failed':
      text = t('consoles.serial.status.failed', { message: reason(status.message) })
      tone = 'bad'
      break
  }
  return (
    <p
      className={`serial-status badge-${tone}`}
      role="status"
      aria-live="polite"
      data-testid="serial-status"
      data-state={status.kind}
    >
      <span className="badge-dot" aria-hidden="true" />
      {text}
      {status.kind === 'failed' && status.message !== SerialCloseReason.connectionLost && (
        <span className="muted"> {t('consoles.serial.failedHint')}</span>
      )}
    </p>
  )
}
