import type { ServiceImpl } from '@common/contract/define'
import type { vms } from '@common/contract/vms'
import type { VmLists } from './vm-lists'

/** Implements the vms contract. */
export function createVmsService(lists: VmLists): ServiceImpl<typeof vms.spec> {
  return {
    async lists() {
      return lists.lists()
    },
    onListChanged(listener) {
      return lists.onChanged(listener)
    },
  }
}
