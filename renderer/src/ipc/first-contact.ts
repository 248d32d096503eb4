import type { Disposable } from '@common/lifecycle'
import type { Api, HeldApi } from './client'

/** The pushed events the stores follow (stores/subscriptions.ts), as subscribe functions. */
export interface StoreEvents {
  hosts: Pick<Api['hosts'], 'onChanged' | 'onConnectionChanged'>
  vms: Pick<Api['vms'], 'onListChanged' | 'onJobProgress' | 'onStats'>
  settings: Pick<Api['settings'], 'onChanged'>
  channel: Pick<Api['channel'], 'onClose'>
}

/** The first data start-up needs, asked for once. */
export interface FirstReplies {
  info: ReturnType<Api['app']['getInfo']>
  settings: ReturnType<Api['settings']['get']>
  hosts: ReturnType<Api['hosts']['list']>
  connections: ReturnType<Api['hosts']['connections']>
  lists: ReturnType<Api['vms']['lists']>
}

/** What firstContact sent: the stores' subscriptions and the first data's replies. */
export interface FirstContact {
  events: StoreEvents
  replies: FirstReplies
}

/** The link to main as start-up hands it to the UI: held, with the first data asked for. */
export type Link = HeldApi & { first: FirstContact }

/**
 * Subscribes to an event now; what arrives goes to the listener given later (one listener).
 * Only for a held link (HeldTransport): nothing arrives before it is released, and it must be
 * released after the listener is set.
 */
function subscribedNow<P>(
  subscribe: (listener: (payload: P) => void) => Disposable,
): (listener: (payload: P) => void) => Disposable {
  let target: ((payload: P) => void) | undefined
  const subscription = subscribe((payload) => target?.(payload))
  return (listener) => {
    target = listener
    return subscription
  }
}

/**
 * Start-up's first exchange, sent the moment the link is open (while the UI's code loads):
 * the stores' subscriptions first, then the first data, in the order start-up used to send
 * them, so main answers them and pushes changes exactly as before. Over a held link, the
 * stores take the replies and events when they are ready (start.tsx).
 */
export function firstContact(api: Api): FirstContact {
  const events: StoreEvents = {
    hosts: {
      onChanged: subscribedNow(api.hosts.onChanged),
      onConnectionChanged: subscribedNow(api.hosts.onConnectionChanged),
    },
    vms: {
      onListChanged: subscribedNow(api.vms.onListChanged),
      onJobProgress: subscribedNow(api.vms.onJobProgress),
      onStats: subscribedNow(api.vms.onStats),
    },
    settings: { onChanged: subscribedNow(api.settings.onChanged) },
    channel: api.channel,
  }
  const replies: FirstReplies = {
    info: api.app.getInfo(),
    settings: api.settings.get(),
    hosts: api.hosts.list(),
    connections: api.hosts.connections(),
    lists: api.vms.lists(),
  }
  // Each is awaited by its store's load; until then a failure must not count as unhandled.
  for (const reply of Object.values(replies) as Promise<unknown>[]) reply.catch(() => undefined)
  return { events, replies }
}
