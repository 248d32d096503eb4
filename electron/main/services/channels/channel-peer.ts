import { ChannelControl } from '@common/ipc/byte-channel'
import { Emitter, type Disposable } from '@common/lifecycle'

/** The page's end of a byte channel, as main sees it (a WebSocket or a MessagePort). */
export interface ChannelPeer extends Disposable {
  /** Bytes the page sent (keystrokes, VNC client messages). */
  readonly onData: Emitter<Uint8Array>['event']
  /** The page consumed this many more bytes. */
  readonly onAck: Emitter<number>['event']
  /** The page's end closed (tab closed, console closed, connection lost). */
  readonly onClose: Emitter<string>['event']
  /** Sends bytes to the page. */
  send(data: Uint8Array): void
  /** Closes the channel; `failed` tells the page it ended because of an error. */
  close(reason: string, failed?: boolean): void
}

/**
 * What both peer kinds share: the emitters, control message parsing, and closing once.
 * Subclasses call `received` and `closedByPage`, and implement the raw send and close.
 */
export abstract class BasePeer implements ChannelPeer {
  private readonly data = new Emitter<Uint8Array>()
  private readonly acks = new Emitter<number>()
  private readonly closes = new Emitter<string>()
  private closed = false

  readonly onData = this.data.event
  readonly onAck = this.acks.event
  readonly onClose = this.closes.event

  /** Whether either end has closed. */
  get isClosed(): boolean {
    return this.closed
  }

  send(data: Uint8Array): void {
    if (!this.closed) this.sendRaw(data)
  }

  close(reason: string, failed = false): void {
    if (this.closed) return
    this.closeRaw(reason, failed)
    this.finish(reason)
  }

  /** A message from the page: bytes, or a control message (anything else is ignored). */
  protected received(message: Uint8Array | unknown): void {
    if (this.closed) return
    if (message instanceof Uint8Array) {
      this.data.fire(message)
      return
    }
    const control = ChannelControl.safeParse(message)
    if (control.success && control.data.type === 'ack') this.acks.fire(control.data.bytes)
  }

  /** The page's end went away. */
  protected closedByPage(reason: string): void {
    this.finish(reason)
  }

  protected abstract sendRaw(data: Uint8Array): void
  protected abstract closeRaw(reason: string, failed: boolean): void

  private finish(reason: string): void {
    if (this.closed) return
    this.closed = true
    this.closes.fire(reason)
    this.dispose()
  }

  dispose(): void {
    if (!this.closed) this.close('disposed')
    this.data.dispose()
    this.acks.dispose()
    this.closes.dispose()
  }
}
