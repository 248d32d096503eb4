import type { TFunction } from 'i18next'
import { VM_STATES, type VmState } from '@common/contract/vm-states'

/** The words every row of the VM list shows, in the current language. */
export interface RowLabels {
  open: string
  states: Record<VmState, string>
  cpuHistory: string
  memoryHistory: string
  autostartOn: string
  autostartOff: string
  transient: string
  transientHint: string
}

/**
 * Looks the rows' words up once per language (the list memoizes it on `t`), not once per
 * cell: a screen of rows made a hundred-odd lookups on the way to the first screen.
 */
export function rowLabels(t: TFunction): RowLabels {
  return {
    open: t('details.open'),
    states: Object.fromEntries(VM_STATES.map((s) => [s, t(`vm.state.${s}`)])) as Record<
      VmState,
      string
    >,
    cpuHistory: t('vm.cpuHistory'),
    memoryHistory: t('vm.memoryHistory'),
    autostartOn: t('vm.autostartOn'),
    autostartOff: t('vm.autostartOff'),
    transient: t('vm.transient'),
    transientHint: t('vm.transientHint'),
  }
}
