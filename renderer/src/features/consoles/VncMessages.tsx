import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { GraphicsDevice, VncProblem } from '@common/contract/graphics'
import type { VncStatus } from './vnc-session'

/** Props of {@link VncProblemMessage}. */
export interface VncProblemMessageProps {
  problem: VncProblem
  devices: readonly GraphicsDevice[]
  /** Switches to the serial console, where the app has one. */
  onOpenSerialConsole: (() => void) | undefined
}

/** Why this VM's display cannot be shown, and what to use instead. */
export function VncProblemMessage({
  problem,
  devices,
  onOpenSerialConsole,
}: VncProblemMessageProps) {
  const { t } = useTranslation()
  const types = [...new Set(devices.map((d) => d.type))].join(', ')
  const spice = devices.find((d) => d.type === 'spice')
  const spiceWhere = spice && spiceAddress(spice)
  return (
    <div className="vnc-message" role="status" data-testid="vnc-problem" data-problem={problem}>
      <p>{t(`vnc.problem.${problem}`, { types })}</p>
      {problem === 'spice-only' && spiceWhere && (
        <p className="hint">{t('vnc.spiceWhere', { where: spiceWhere })}</p>
      )}
      {onOpenSerialConsole && (
        <button type="button" className="button primary" onClick={onOpenSerialConsole}>
          {t('vnc.openSerial')}
        </button>
      )}
    </div>
  )
}

function spiceAddress(d: GraphicsDevice): string | undefined {
  const listen = d.listens[0]
  if (listen?.type === 'socket') return listen.socket
  if (d.port === undefined) return undefined
  return `${listen?.address ?? '127.0.0.1'}:${d.port}`
}

/** Props of {@link VncStatusMessage}. */
export interface VncStatusMessageProps {
  status: VncStatus
  /** Offered while the VM is off and can start. */
  onStartVm: (() => void) | undefined
  startError: string | undefined
  onReconnect(): void
  onPassword(password: string): void
  onOpenSerialConsole: (() => void) | undefined
}

/** What covers the screen while it is not showing the guest. */
export function VncStatusMessage(p: VncStatusMessageProps) {
  const { t } = useTranslation()
  const { status } = p
  switch (status.kind) {
    case 'connected':
      return null
    case 'connecting':
      return <Overlay>{t('vnc.status.connecting')}</Overlay>
    case 'reconnecting':
      return <Overlay>{t('vnc.status.reconnecting', { attempt: status.attempt })}</Overlay>
    case 'vm-off':
      return (
        <Overlay>
          <p>{t('vnc.status.vmOff')}</p>
          {p.onStartVm && (
            <button type="button" className="button primary" onClick={p.onStartVm}>
              {t('vnc.startVm')}
            </button>
          )}
          {p.startError && <p className="error-text">{p.startError}</p>}
        </Overlay>
      )
    case 'needs-password':
      return (
        <Overlay>
          <PasswordForm refused={status.refused} onSubmit={p.onPassword} />
        </Overlay>
      )
    case 'problem':
      return (
        <Overlay>
          <VncProblemMessage
            problem={status.problem}
            devices={[]}
            onOpenSerialConsole={p.onOpenSerialConsole}
          />
        </Overlay>
      )
    case 'error':
      return (
        <Overlay>
          <p className="error-text" role="alert">
            {t('vnc.status.error', { message: status.message })}
          </p>
          <button type="button" className="button" onClick={p.onReconnect}>
            {t('vnc.reconnect')}
          </button>
        </Overlay>
      )
  }
}

function Overlay({ children }: { children: React.ReactNode }) {
  return (
    <div className="vnc-overlay" data-testid="vnc-overlay">
      <div className="vnc-message" role="status">
        {children}
      </div>
    </div>
  )
}

function PasswordForm({ refused, onSubmit }: { refused: boolean; onSubmit(pw: string): void }) {
  const { t } = useTranslation()
  const [password, setPassword] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    onSubmit(password)
  }
  return (
    <form className="form" onSubmit={submit}>
      <p>{t('vnc.password.title')}</p>
      {refused && <p className="error-text">{t('vnc.password.refused')}</p>}
      <label className="field">
        <span>{t('vnc.password.label')}</span>
        <input
          type="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoFocus
        />
      </label>
      <button type="submit" className="button primary">
        {t('vnc.password.submit')}
      </button>
    </form>
  )
}
