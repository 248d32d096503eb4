/**
 * Our side of the VNC bench in a worker thread of its own, as in the app, where main is a
 * process of its own: the connection manager, the graphics service and the web server that
 * carries the byte channels. On the bench's thread it would share an event loop and a heap
 * with Playwright and the bench itself, while websockify has a process to itself.
 *
 * Messages in: { start: { rendererDir } } -> the web server's port; { openVnc: uuid } -> a
 * VNC channel ticket for that VM; { stop: true }.
 */
import { ServiceRegistry } from '@common/ipc/channel-server'
import { ChannelBroker } from '../../electron/main/services/channels'
import { localEndpointOpener } from '../../electron/main/services/graphics/endpoint-opener'
import { createGraphicsService } from '../../electron/main/services/graphics/graphics-service'
import { VncChannels } from '../../electron/main/services/graphics/vnc-channels'
import { ConnectionManager } from '../../electron/main/services/hosts/connection-manager'
import { createLibvirtConnector } from '../../electron/main/services/hosts/connector'
import { startWebServer, type WebServer } from '../../electron/main/web/server'
import { serveRequests } from './ts-worker'

/** What the bench thread asks for. */
export type BridgeRequest =
  { start: { rendererDir: string } } | { openVnc: string } | { stop: true }

const HOST_ID = 'bench'
const broker = new ChannelBroker()
const vncChannels = new VncChannels(broker)
const manager = new ConnectionManager(createLibvirtConnector())
const graphics = createGraphicsService(
  manager,
  vncChannels,
  localEndpointOpener(() => 'qemu:///system'),
)
let server: WebServer | undefined

async function start(rendererDir: string): Promise<number> {
  server = await startWebServer({ registry: new ServiceRegistry(), rendererDir, channels: broker })
  manager.add(HOST_ID, 'qemu:///system')
  await manager.whenConnected(HOST_ID)
  return server.port
}

void serveRequests<BridgeRequest>(async (request) => {
  if ('start' in request) return start(request.start.rendererDir)
  if ('openVnc' in request) {
    const opened = await graphics.openVnc(
      { hostId: HOST_ID, uuid: request.openVnc },
      { signal: AbortSignal.timeout(20_000) },
    )
    return opened.ticket
  }
  await server?.close()
  vncChannels.dispose()
  broker.dispose()
  manager.dispose()
  return undefined
})
