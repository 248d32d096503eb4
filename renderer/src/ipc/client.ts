import { app, consoles, graphics, hosts, settings, vmDetails, vms } from '@common/contract'
import { ChannelClient, createServiceClient } from '@common/ipc/channel-client'
import { connectElectronPort, connectWebSocket, tokenFromHash } from './transports'

/** The typed API of the main process, one client per contract service. */
export interface Api {
  app: ReturnType<typeof createServiceClient<typeof app.spec>>
  hosts: ReturnType<typeof createServiceClient<typeof hosts.spec>>
  vms: ReturnType<typeof createServiceClient<typeof vms.spec>>
  vmDetails: ReturnType<typeof createServiceClient<typeof vmDetails.spec>>
  graphics: ReturnType<typeof createServiceClient<typeof graphics.spec>>
  consoles: ReturnType<typeof createServiceClient<typeof consoles.spec>>
  settings: ReturnType<typeof createServiceClient<typeof settings.spec>>
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

/** Connects to main: through the preload's port in Electron, the token WebSocket in web mode. */
export async function connectApi(): Promise<Api> {
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
  const channel = new ChannelClient(transport)
  return {
    app: createServiceClient(channel, app),
    hosts: createServiceClient(channel, hosts),
    vms: createServiceClient(channel, vms),
    vmDetails: createServiceClient(channel, vmDetails),
    graphics: createServiceClient(channel, graphics),
    consoles: createServiceClient(channel, consoles),
    settings: createServiceClient(channel, settings),
    channel,
  }
}
