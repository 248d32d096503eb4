import { app, ipcMain, MessageChannelMain } from 'electron'
import { join } from 'node:path'
import { ChannelTicket } from '@common/ipc/byte-channel'
import { ChannelServer } from '@common/ipc/channel-server'
import { createAppServices, type AppServices } from './app-services'
import { ElectronPortTransport } from './ipc/electron-transport'
import { PortChannelPeer } from './ipc/port-channel-peer'
import { createMainWindow, hardenSession, rendererUrl } from './windows/main-window'
import { isOwnPage } from './windows/own-page'

/**
 * The desktop entry point. Kept thin: everything behind it (services, IPC channel) is the
 * same code web mode runs, and is tested there.
 */
const PORT_REQUEST = 'virtdeck:connect'
const PORT_REPLY = 'virtdeck:port'
const CHANNEL_REQUEST = 'virtdeck:channel'
const CHANNEL_REPLY = 'virtdeck:channel-port'

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void start()
}

async function start(): Promise<void> {
  await app.whenReady()
  hardenSession()
  const services: AppServices = await createAppServices({
    name: 'Virtdeck',
    version: app.getVersion(),
    mode: 'electron',
    userDataDir: app.getPath('userData'),
  })
  const rendererDir = join(__dirname, '..', 'renderer')
  const preload = join(__dirname, '..', 'preload', 'index.cjs')
  const home = rendererUrl(rendererDir)

  // The page asks for its port; only a top frame of our own page gets one (console windows
  // are the same page with a fragment).
  ipcMain.on(PORT_REQUEST, (event) => {
    if (!isOwnPage(event.senderFrame?.url, home) || event.senderFrame?.parent !== null) return
    const { port1, port2 } = new MessageChannelMain()
    const channel = new ChannelServer(new ElectronPortTransport(port1), services.registry)
    event.sender.once('destroyed', () => channel.dispose())
    event.sender.postMessage(PORT_REPLY, null, [port2])
  })

  // A byte channel (console) by ticket: a port of its own, so bulk data never queues behind
  // IPC calls. A bad or used ticket gets a reply without a port.
  ipcMain.on(CHANNEL_REQUEST, (event, ticket: unknown) => {
    if (!isOwnPage(event.senderFrame?.url, home) || event.senderFrame?.parent !== null) return
    const parsed = ChannelTicket.safeParse(ticket)
    const handler = parsed.success ? services.channels.claim(parsed.data) : undefined
    if (!parsed.success || !handler) {
      event.sender.postMessage(CHANNEL_REPLY, { ticket: String(ticket), ok: false })
      return
    }
    const { port1, port2 } = new MessageChannelMain()
    const peer = new PortChannelPeer(port1)
    event.sender.once('destroyed', () => peer.close('window closed'))
    handler(peer)
    event.sender.postMessage(CHANNEL_REPLY, { ticket: parsed.data, ok: true }, [port2])
  })

  let win = createMainWindow({ preload, rendererDir })
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  app.on('activate', () => {
    if (win.isDestroyed()) win = createMainWindow({ preload, rendererDir })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => services.dispose())
}
