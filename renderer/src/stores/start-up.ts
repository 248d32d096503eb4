import { setApi } from '../ipc/api'
import type { Link } from '../ipc/first-contact'
import { useAppStore } from './app/store'
import { useHostsStore } from './hosts/store'
import { useSettingsStore } from './settings/store'
import { subscribeStores } from './subscriptions'
import { useVmsStore } from './vms/store'

/**
 * Hands the link main.tsx opened to the stores: they subscribe and take the first data it
 * already asked for, and only then is the link released, so what main sent meanwhile
 * reaches them in order. The link is marked ready once all of it is in (app facts, settings,
 * hosts and their connections, VM lists), and then this resolves: the first real screen
 * renders once, with the theme and language applied and the hosts in place. Rejects when the
 * link fails.
 */
export async function startStores(link: Link): Promise<void> {
  const { api, release, first } = link
  const { replies } = first
  setApi(api)
  subscribeStores(first.events)
  const loaded = Promise.all([
    useAppStore.getState().loadInfo(replies.info),
    useSettingsStore.getState().load(replies.settings),
    useHostsStore.getState().loadHosts({ hosts: replies.hosts, connections: replies.connections }),
    useVmsStore.getState().load(replies.lists),
  ])
  release()
  await loaded
  useAppStore.getState().internal_setLink({ status: 'ready' })
}
