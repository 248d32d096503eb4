import { useTranslation } from 'react-i18next'
import type { HostConnection } from '@common/contract/hosts'
import { StatusBadge, type Tone } from '../../components/StatusBadge'

const TONES: Record<HostConnection['status'], Tone> = {
  connecting: 'neutral',
  connected: 'good',
  reconnecting: 'warn',
  failed: 'bad',
  disconnected: 'neutral',
}

/** A host's connection state as a badge ("Connected", "Reconnecting" ...). */
export function ConnectionBadge({ state }: { state: HostConnection | undefined }) {
  const { t } = useTranslation()
  const status = state?.status ?? 'connecting'
  return <StatusBadge tone={TONES[status]} label={t(`host.status.${status}`)} />
}

/** A dot for the sidebar, coloured like the badge, with the state as its label. */
export function ConnectionDot({ state }: { state: HostConnection | undefined }) {
  const { t } = useTranslation()
  const status = state?.status ?? 'connecting'
  return (
    <span
      className={`status-dot badge-${TONES[status]}`}
      role="img"
      aria-label={t(`host.status.${status}`)}
      title={t(`host.status.${status}`)}
    >
      <span className="badge-dot" />
    </span>
  )
}
