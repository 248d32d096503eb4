import type { ServiceImpl } from '@common/contract/define'
import type { settings } from '@common/contract/settings'
import type { SettingsStore } from './settings-store'

/** Implements the settings contract on the settings store. */
export function createSettingsService(store: SettingsStore): ServiceImpl<typeof settings.spec> {
  return {
    async get() {
      const notice = store.notice
      return { settings: store.current, ...(notice && { notice }) }
    },
    async update(patch) {
      return store.update(patch)
    },
    async dismissNotice() {
      store.dismissNotice()
    },
    onChanged(listener) {
      return store.onChanged(listener)
    },
  }
}
