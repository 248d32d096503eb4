import type { WebSocket } from 'ws'
import type { MessageTransport } from '@common/ipc/transport'
import { Emitter, type Disposable } from '@common/lifecycle'

/** The IPC transport over one WebSocket of web mode: one JSON text frame per message. */
export class WsTransport implements MessageTransport, Disposable {
  private readonly messages = new Emitter<unknown>()
  private readonly closes = new Emitter<string>()
  private closed = false

  /** Subscribes to incoming messages. */
  readonly onMessage = this.messages.event
  /** Fires once when the socket closes. */
  readonly onClose = this.closes.event

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return
      let parsed: unknown
      try {
        parsed = JSON.parse(data.toString())
      } catch {
        return // not JSON: ignore, the channel only speaks its own messages
      }
      this.messages.fire(parsed)
    })
    socket.on('close', (code) => this.finish(`socket closed (${code})`))
    socket.on('error', (err) => this.finish(err.message))
  }

  send(message: unknown): void {
    if (!this.closed && this.socket.readyState === this.socket.OPEN) {
      this.socket.send(JSON.stringify(message))
    }
  }

  close(): void {
    this.socket.close()
    this.finish('closed')
  }

  private finish(reason: string): void {
    if (this.closed) return
    this.closed = true
    this.closes.fire(reason)
    this.dispose()
  }

  dispose(): void {
    this.messages.dispose()
    this.closes.dispose()
  }
}
