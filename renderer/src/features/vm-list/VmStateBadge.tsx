import { useTranslation } from 'react-i18next'
import type { VmState } from '@common/contract/vms'
import { StatusBadge, type Tone } from '../../components/StatusBadge'

/** The badge tone of each state. */
export const VM_STATE_TONES: Record<VmState, Tone> = {
  running: 'good',
  blocked: 'warn',
  paused: 'warn',
  pmsuspended: 'warn',
  shutdown: 'warn',
  crashed: 'bad',
  nostate: 'neutral',
  shutoff: 'neutral',
}

/** A VM's state as a coloured badge. */
export function VmStateBadge({ state }: { state: VmState }) {
  const { t } = useTranslation()
  return <StatusBadge tone={VM_STATE_TONES[state]} label={t(`vm.state.${state}`)} />
}
