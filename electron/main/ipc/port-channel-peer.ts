import type { MessagePortMain } from 'electron'
import { BasePeer } from '../services/channels/channel-peer'

/**
 * A byte channel's page end in Electron: a MessagePort of its own. Uint8Array messages are
 * data, plain objects control; main's close reason goes in a last `{ type: 'close' }` message
 * because a port has no close reason.
 */
export class PortChannelPeer extends BasePeer {
  constructor(private readonly port: MessagePortMain) {
    super()
    port.on('message', (event) => this.received(event.data))
    port.on('close', () => this.closedByPage('page closed the channel'))
    port.start()
  }

  protected sendRaw(data: Uint8Array): void {
    this.port.postMessage(data)
  }

  protected closeRaw(reason: string, failed: boolean): void {
    this.port.postMessage({ type: 'close', reason, failed })
    this.port.close()
  }
}
