import type { MessagePortMain } from 'electron'
import type { MessageTransport } from '@common/ipc/transport'
import { Emitter, type Disposable } from '@common/lifecycle'

/** The IPC transport over the MessagePort handed to one window. */
export class ElectronPortTransport implements MessageTransport, Disposable {
  private readonly messages = new Emitter<unknown>()
  private readonly closes = new Emitter<string>()
  private closed = false

  /** Subscribes to incoming messages. */
  readonly onMessage = this.messages.event
  /** Fires once when the port closes. */
  readonly onClose = this.closes.event

  constructor(private readonly port: MessagePortMain) {
    port.on('message', (event) => this.messages.fire(event.data))
    port.on('close', () => this.finish('port closed'))
    port.start()
  }

  send(message: unknown): void {
    if (!this.closed) this.port.postMessage(message)
  }

  close(): void {
    this.port.close()
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
