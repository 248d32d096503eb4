import type { MessageTransport } from '@common/ipc/transport'
import { Emitter } from '@common/lifecycle'

/** What the Electron preload exposes: functions that ask main for MessagePorts. */
interface PreloadBridge {
  /** Asks for the IPC port (posted to the window as 'virtdeck:port'). */
  connect(): void
  /** Asks for a byte channel's port (posted as { type: 'virtdeck:channel', ticket, ok }). */
  openChannel(ticket: string): void
}

declare global {
  interface Window {
    virtdeck?: PreloadBridge
  }
}

/**
 * A MessageTransport over any pipe given as send and close functions; the pipe's owner calls
 * deliver() for each incoming message and finish() when the pipe closes.
 */
class PipeTransport implements MessageTransport {
  private readonly messages = new Emitter<unknown>()
  private readonly closes = new Emitter<string>()
  private closed = false

  readonly onMessage = this.messages.event
  readonly onClose = this.closes.event

  constructor(
    private readonly sendFn: (message: unknown) => void,
    private readonly closeFn: () => void,
  ) {}

  send(message: unknown): void {
    if (!this.closed) this.sendFn(message)
  }

  close(): void {
    this.closeFn()
    this.finish('closed')
  }

  deliver(message: unknown): void {
    if (!this.closed) this.messages.fire(message)
  }

  finish(reason: string): void {
    if (this.closed) return
    this.closed = true
    this.closes.fire(reason)
    this.messages.dispose()
    this.closes.dispose()
  }
}

/** In Electron: asks the preload for a MessagePort and speaks over it. */
export function connectElectronPort(bridge: PreloadBridge): Promise<MessageTransport> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const port = event.ports[0]
      if (event.source !== window || event.data !== 'virtdeck:port' || !port) return
      window.removeEventListener('message', onMessage)
      const transport = new PipeTransport(
        (m) => port.postMessage(m),
        () => port.close(),
      )
      port.onmessage = (e) => transport.deliver(e.data)
      port.addEventListener('close', () => transport.finish('port closed'))
      port.start()
      resolve(transport)
    }
    window.addEventListener('message', onMessage)
    bridge.connect()
  })
}

/** Reads the web-mode token from the page's fragment (#token=...), which no server sees. */
export function tokenFromHash(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? undefined
}

/** In web mode: opens the loopback WebSocket with the run's token. */
export function connectWebSocket(url: string): Promise<MessageTransport> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    const transport = new PipeTransport(
      (m) => socket.send(JSON.stringify(m)),
      () => socket.close(),
    )
    socket.onopen = () => resolve(transport)
    socket.onmessage = (e) => {
      if (typeof e.data !== 'string') return
      try {
        transport.deliver(JSON.parse(e.data))
      } catch {
        // Not JSON: not one of ours, ignore it.
      }
    }
    socket.onclose = (e) => {
      transport.finish(e.reason || `connection closed (${e.code})`)
      // Only matters before onopen: then the server refused us (token, origin).
      reject(new Error('refused'))
    }
  })
}
