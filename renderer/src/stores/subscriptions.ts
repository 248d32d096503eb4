import { DisposableStore, type Disposable } from '@common/lifecycle'
import type { StoreEvents } from '../ipc/first-contact'
import { useAppStore } from './app/store'
import { useHostsStore } from './hosts/store'
import { useSettingsStore } from './settings/store'
import { useStatsStore } from './stats/store'
import { useVmsStore } from './vms/store'

/** Connects pushed events from main to the stores; dispose to disconnect. */
export function subscribeStores(api: StoreEvents): Disposable {
  const store = new DisposableStore()
  store.add(api.hosts.onChanged((hosts) => useHostsStore.getState().internal_setHosts(hosts)))
  store.add(
    api.hosts.onConnectionChanged((state) =>
      useHostsStore.getState().internal_setConnection(state),
    ),
  )
  store.add(api.vms.onListChanged((list) => useVmsStore.getState().internal_setList(list)))
  store.add(api.vms.onJobProgress((job) => useVmsStore.getState().internal_setJob(job)))
  store.add(api.vms.onStats((tick) => useStatsStore.getState().internal_applyTick(tick)))
  store.add(
    api.settings.onChanged((settings) =>
      useSettingsStore.getState().internal_setSettings(settings),
    ),
  )
  store.add(
    api.channel.onClose((reason) =>
      useAppStore.getState().internal_setLink({ status: 'lost', reason }),
    ),
  )
  return store
}
