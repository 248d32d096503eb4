import type { VmSummary } from '@common/contract/vms'
import { StatusBadge } from '../../components/StatusBadge'
import { vmSelectors } from '../../stores/vms/selectors'
import { useVmsStore } from '../../stores/vms/store'
import { JobProgressBar } from './JobProgressBar'
import { VM_STATE_TONES } from './VmStateBadge'

/** A list row's state: its badge, or the progress of a save while one runs. */
export function VmStateCell({ vm, label }: { vm: VmSummary; label: string }) {
  const saving = useVmsStore((s) => vmSelectors.job(vm.hostId, vm.uuid)(s) !== undefined)
  return saving ? (
    <JobProgressBar {...vm} compact />
  ) : (
    <StatusBadge tone={VM_STATE_TONES[vm.state]} label={label} />
  )
}
