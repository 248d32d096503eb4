import { useTranslation } from 'react-i18next'
import type { VmSummary } from '@common/contract/vms'
import type { RowLabels } from './row-labels'
import { formatKiB } from './VmStatsCells'

/** Headers of the configuration columns: vCPUs, memory size, autostart. */
export function VmConfigHeads() {
  const { t } = useTranslation()
  return (
    <>
      <span role="columnheader">{t('vm.vcpus')}</span>
      <span role="columnheader">{t('vm.memorySize')}</span>
      <span role="columnheader">{t('vm.autostart')}</span>
    </>
  )
}

/**
 * A VM's configuration cells: vCPUs, configured (maximum) memory, and whether it starts
 * with the host; a transient VM shows that instead, since it cannot autostart.
 */
export function VmConfigCells({ vm, labels }: { vm: VmSummary; labels: RowLabels }) {
  return (
    <>
      <span role="cell" className="num-cell" data-testid="vm-vcpus">
        {vm.vcpus}
      </span>
      <span role="cell" className="num-cell" data-testid="vm-memory-size">
        {formatKiB(vm.memoryKiB)}
      </span>
      {vm.persistent ? (
        <span role="cell" data-testid="vm-autostart" className={vm.autostart ? '' : 'muted'}>
          {vm.autostart ? labels.autostartOn : labels.autostartOff}
        </span>
      ) : (
        <span
          role="cell"
          data-testid="vm-autostart"
          className="muted transient"
          title={labels.transientHint}
        >
          {labels.transient}
        </span>
      )}
    </>
  )
}
