import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { CHANNEL_PATH_PREFIX, ChannelCloseCode } from '@common/ipc/byte-channel'
import { ChannelServer, type ServiceRegistry } from '@common/ipc/channel-server'
import { DisposableStore, toDisposable, type Disposable } from '@common/lifecycle'
import { WsTransport } from '../ipc/ws-transport'
import type { ChannelBroker } from '../services/channels'
import { contentSecurityPolicy } from '../windows/csp'
import { newToken, refuseReason } from './access'
import { readStatic } from './static-files'
import { WsChannelPeer } from './ws-channel-peer'

/** Largest IPC message a browser may send (bytes). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

/** Options for startWebServer. */
export interface WebServerOptions {
  registry: ServiceRegistry
  /** Byte channels (consoles) the page opens with a ticket at /channel/<ticket>. */
  channels?: ChannelBroker
  /** The built renderer (index.html and assets/). */
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  /** A fixed token (tests); a fresh one per run otherwise. */
  token?: string
}

/** A running web-mode server. */
export interface WebServer extends Disposable {
  /** The address to open, with the token in the fragment (never sent to the server). */
  url: string
  port: number
  token: string
  /** Number of connected browser tabs. */
  readonly clientCount: number
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
}

/**
 * Serves the UI to a browser on 127.0.0.1 only: the static renderer, and the IPC channel
 * on a WebSocket at /ipc. The socket needs the run's token, a loopback Host header and a
 * matching Origin, which keeps other local users' pages and DNS-rebinding sites out.
 * Byte channels (consoles) are WebSockets at /channel/<ticket>: the same Host and Origin
 * checks, and a one-time ticket the page got over the authenticated IPC instead of the token.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? newToken()
  const store = new DisposableStore()
  const channels = new Set<ChannelServer>()
  let port = 0

  const http = createServer((req, res) => void serveFile(req, res))
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = refuseReason(req, port)
    if (refused) return reply(res, 403, `Forbidden: ${refused}`)
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Method not allowed')
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const file = await readStatic(options.rendererDir, path)
    if (!file) return reply(res, 404, 'Not found')
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.type,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    })
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }

  const channelSockets = new Set<WebSocket>()
  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path.startsWith(CHANNEL_PATH_PREFIX)) {
      const refused = refuseReason(req, port, { requireOrigin: true })
      const handler = refused
        ? undefined
        : options.channels?.claim(path.slice(CHANNEL_PATH_PREFIX.length))
      if (!handler) {
        socket.end(
          `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${refused ?? 'unknown or used ticket'}\n`,
        )
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        channelSockets.add(ws)
        ws.on('close', () => channelSockets.delete(ws))
        handler(new WsChannelPeer(ws))
      })
      return
    }
    const refused =
      path === '/ipc' ? refuseReason(req, port, { token, requireOrigin: true }) : 'no such endpoint'
    if (refused) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${refused}\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const channel = new ChannelServer(new WsTransport(ws), options.registry)
      channels.add(channel)
      ws.on('close', () => {
        channel.dispose()
        channels.delete(channel)
      })
    })
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (http.address() as AddressInfo).port

  const close = async () => {
    for (const channel of channels) channel.dispose()
    channels.clear()
    for (const ws of channelSockets) ws.close(ChannelCloseCode.ended, 'app is closing')
    for (const client of wss.clients) client.terminate()
    wss.close()
    await new Promise<void>((resolve) => http.close(() => resolve()))
  }
  store.add(toDisposable(() => void close()))

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    get clientCount() {
      return channels.size
    },
    close,
    dispose: () => store.dispose(),
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
  res.end(`${text}\n`)
}
