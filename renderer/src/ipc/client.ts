import type {
  app,
  consoles,
  graphics,
  hosts,
  ServiceClient,
  settings,
  vmDetails,
  vms,
} from '@common/contract'
import { ChannelClient } from '@common/ipc/channel-client'
import { HeldTransport } from './held-transport'
import { serviceClient } from './service-client'
import { connectElectronPort, connectWebSocket, tokenFromHash } from './transports'

/** The typed API of the main process, one client per contract service. */
export interface Api {
  app: ServiceClient<typeof app.spec>
  hosts: ServiceClient<typeof hosts.spec>
  vms: ServiceClient<typeof vms.spec>
  vmDetails: ServiceClient<typeof vmDetails.spec>
  graphics: ServiceClient<typeof graphics.spec>
  consoles: ServiceClient<typeof consoles.spec>
  settings: ServiceClient<typeof settings.spec>
  /** The channel underneath, for close notifications. */
  channel: ChannelClient
}

/** Why the UI could not reach the main process. */
export class ApiUnavailableError extends Error {
  override readonly name = 'ApiUnavailableError'
  constructor(readonly reason: 'no-token' | 'refused') {
    super(reason)
  }
}

/** The API over a link whose arrivals are held until released (see HeldTransport). */
export interface HeldApi {
  api: Api
  /** Hands on what main sent so far, in order, and everything after as it comes. */
  release(): void
}

/**
 * Connects to main: through the preload's port in Electron, the token WebSocket in web mode.
 * Calls and subscriptions go out at once; what main sends is held until release().
 */
export async function connectApi(): Promise<HeldApi> {
  let transport
  if (window.virtdeck) {
    transport = await connectElectronPort(window.virtdeck)
  } else {
    const token = tokenFromHash(window.location.hash)
    if (!token) throw new ApiUnavailableError('no-token')
    const url = new URL('/ipc', window.location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    url.hash = ''
    url.searchParams.set('token', token)
    try {
      transport = await connectWebSocket(url.href)
    } catch {
      throw new ApiUnavailableError('refused')
    }
  }
  const held = new HeldTransport(transport)
  const channel = new ChannelClient(held)
  const api: Api = {
    app: serviceClient(channel, 'app'),
    hosts: serviceClient(channel, 'hosts'),
    vms: serviceClient(channel, 'vms'),
    vmDetails: serviceClient(channel, 'vmDetails'),
    graphics: serviceClient(channel, 'graphics'),
    consoles: serviceClient(channel, 'consoles'),
    settings: serviceClient(channel, 'settings'),
    channel,
  }
  return { api, release: () => held.release() }
}
