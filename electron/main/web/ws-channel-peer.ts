import type { WebSocket } from 'ws'
import { ChannelCloseCode } from '@common/ipc/byte-channel'
import { BasePeer } from '../services/channels/channel-peer'

/** A byte channel's page end in web mode: binary frames are data, text frames control. */
export class WsChannelPeer extends BasePeer {
  constructor(private readonly socket: WebSocket) {
    super()
    socket.on('message', (data, isBinary) => {
      // ws gives a Buffer (its default binaryType); no copy of what we pass on.
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data)
      if (isBinary) {
        this.received(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        return
      }
      try {
        this.received(JSON.parse(bytes.toString('utf8')))
      } catch {
        // Not JSON: not a control message of ours.
      }
    })
    socket.on('close', (code) => this.closedByPage(`page closed the channel (${code})`))
    socket.on('error', (err) => this.closedByPage(err.message))
  }

  protected sendRaw(data: Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data, { binary: true })
  }

  protected closeRaw(reason: string, failed: boolean): void {
    // A close reason may be at most 123 bytes of UTF-8.
    const text = Buffer.from(reason)
      .subarray(0, 123)
      .toString('utf8')
      .replace(/\uFFFD+$/, '')
    this.socket.close(failed ? ChannelCloseCode.failed : ChannelCloseCode.ended, text)
  }
}
