/**
 * The page's end of a byte channel (see electron/common/ipc/byte-channel.ts), shaped like a
 * WebSocket so noVNC can use it as its channel, plus acknowledgements for flow control.
 * In web mode it is a WebSocket to /channel/<ticket>; in Electron, a MessagePort the preload
 * hands over for the ticket.
 */
import { CHANNEL_PATH_PREFIX, ChannelCloseCode } from '@common/ipc/byte-channel'

/** How the page consumes data: acknowledge on delivery, or when the consumer says so. */
export interface ByteSocketOptions {
  /**
   * `true` (default): bytes count as consumed once `onmessage` returns (VNC).
   * `false`: call `ack(n)` when they are really consumed (a terminal, after it wrote them).
   */
  autoAck?: boolean
}

/** What `onclose` receives: the close code (see ChannelCloseCode) and main's reason. */
export interface ByteSocketCloseEvent {
  code: number
  reason: string
  wasClean: boolean
}

/** A chunk of bytes from main, as a MessageEvent-like object. */
export interface ByteSocketMessageEvent {
  data: ArrayBuffer
}

/** Acks are sent in batches of this many bytes, or after ACK_FLUSH_MS. */
const ACK_BATCH_BYTES = 32 * 1024
const ACK_FLUSH_MS = 30

type Sender = { send(data: Uint8Array): void; control(message: object): void; close(): void }

/** A byte channel shaped like a WebSocket (readyState numbers as WebSocket's). */
export class ByteSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3

  binaryType = 'arraybuffer'
  readonly protocol = ''
  readyState = ByteSocket.CONNECTING
  onopen: ((event: Event | object) => void) | null = null
  onmessage: ((event: ByteSocketMessageEvent) => void) | null = null
  onclose: ((event: ByteSocketCloseEvent) => void) | null = null
  onerror: ((event: Event | object) => void) | null = null

  private sender: Sender | undefined
  private pendingAck = 0
  private ackTimer: ReturnType<typeof setTimeout> | undefined
  private readonly autoAck: boolean

  constructor(options: ByteSocketOptions = {}) {
    this.autoAck = options.autoAck ?? true
  }

  /** Sends bytes (keystrokes, VNC client messages) to main. */
  send(data: ArrayBuffer | ArrayBufferView | string): void {
    if (this.readyState !== ByteSocket.OPEN || !this.sender) return
    const bytes =
      typeof data === 'string'
        ? new TextEncoder().encode(data)
        : data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    this.sender.send(bytes)
  }

  /** Tells main that `bytes` more were consumed (only needed with autoAck false). */
  ack(bytes: number): void {
    if (bytes <= 0 || this.readyState !== ByteSocket.OPEN) return
    this.pendingAck += bytes
    if (this.pendingAck >= ACK_BATCH_BYTES) this.flushAck()
    else this.ackTimer ??= setTimeout(() => this.flushAck(), ACK_FLUSH_MS)
  }

  /** Closes the channel; main closes its source (the console stream, the VNC socket). */
  close(): void {
    if (this.readyState >= ByteSocket.CLOSING) return
    this.readyState = ByteSocket.CLOSING
    this.sender?.close()
    // Like a WebSocket, report the close later, never from inside close(): noVNC sets its
    // disconnect timer after calling close() and counts on the event coming after that.
    setTimeout(() => this.finish(1000, 'closed', true), 0)
  }

  /** For the link: the channel is open and can send. */
  internal_open(sender: Sender): void {
    if (this.readyState !== ByteSocket.CONNECTING) {
      sender.close()
      return
    }
    this.sender = sender
    this.readyState = ByteSocket.OPEN
    this.onopen?.({ type: 'open' })
  }

  /** For the link: bytes arrived. */
  internal_receive(data: ArrayBuffer): void {
    if (this.readyState !== ByteSocket.OPEN) return
    this.onmessage?.({ data })
    if (this.autoAck) this.ack(data.byteLength)
  }

  /** For the link: the channel ended (code per ChannelCloseCode). */
  internal_closed(code: number, reason: string): void {
    if (code === ChannelCloseCode.failed || code === ChannelCloseCode.badTicket) {
      this.onerror?.({ type: 'error', message: reason })
    }
    this.finish(code, reason, code !== ChannelCloseCode.failed)
  }

  private flushAck(): void {
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer)
    this.ackTimer = undefined
    if (this.pendingAck > 0 && this.readyState === ByteSocket.OPEN) {
      this.sender?.control({ type: 'ack', bytes: this.pendingAck })
    }
    this.pendingAck = 0
  }

  private finish(code: number, reason: string, wasClean: boolean): void {
    if (this.readyState === ByteSocket.CLOSED) return
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer)
    this.readyState = ByteSocket.CLOSED
    this.onclose?.({ code, reason, wasClean })
  }
}

/** Opens a byte channel by ticket, in whichever mode the page runs. */
export function openByteSocket(ticket: string, options?: ByteSocketOptions): ByteSocket {
  const socket = new ByteSocket(options)
  if (window.virtdeck) linkPort(socket, ticket, window.virtdeck)
  else linkWebSocket(socket, ticket)
  return socket
}

function linkWebSocket(socket: ByteSocket, ticket: string): void {
  const url = new URL(CHANNEL_PATH_PREFIX + ticket, window.location.href)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.hash = ''
  const ws = new WebSocket(url.href)
  ws.binaryType = 'arraybuffer'
  ws.onopen = () =>
    socket.internal_open({
      // Our bytes never live in a SharedArrayBuffer (the page is not cross-origin isolated).
      send: (bytes) => ws.send(bytes as Uint8Array<ArrayBuffer>),
      control: (message) => ws.send(JSON.stringify(message)),
      close: () => ws.close(1000),
    })
  ws.onmessage = (e: MessageEvent<ArrayBuffer | string>) => {
    if (typeof e.data !== 'string') socket.internal_receive(e.data)
  }
  ws.onclose = (e) => {
    // Refused at the upgrade (bad ticket): the browser reports 1006 before any open.
    const refused = socket.readyState === ByteSocket.CONNECTING
    socket.internal_closed(
      refused ? ChannelCloseCode.badTicket : e.code,
      refused ? 'the console could not be opened (ticket refused)' : e.reason,
    )
  }
}

interface ChannelPortMessage {
  type: 'virtdeck:channel'
  ticket: string
  ok: boolean
}

function linkPort(
  socket: ByteSocket,
  ticket: string,
  bridge: NonNullable<Window['virtdeck']>,
): void {
  const onMessage = (event: MessageEvent<ChannelPortMessage>) => {
    if (event.source !== window || event.data?.type !== 'virtdeck:channel') return
    if (event.data.ticket !== ticket) return
    window.removeEventListener('message', onMessage)
    const port = event.ports[0]
    if (!event.data.ok || !port) {
      socket.internal_closed(ChannelCloseCode.badTicket, 'the console could not be opened')
      return
    }
    port.onmessage = (e: MessageEvent<unknown>) => {
      const data = e.data
      if (data instanceof Uint8Array) {
        socket.internal_receive(
          data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
        )
      } else if (isCloseMessage(data)) {
        socket.internal_closed(
          data.failed ? ChannelCloseCode.failed : ChannelCloseCode.ended,
          data.reason,
        )
        port.close()
      }
    }
    port.start()
    socket.internal_open({
      send: (bytes) => port.postMessage(bytes),
      control: (message) => port.postMessage(message),
      close: () => port.close(),
    })
  }
  window.addEventListener('message', onMessage)
  bridge.openChannel(ticket)
}

function isCloseMessage(data: unknown): data is { reason: string; failed: boolean } {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'close'
}
