/**
 * A byte channel opened from Node instead of a page: the same web server and WebSocket, no
 * browser and no terminal. It acknowledges at once what arrives. The serial bench uses it to
 * tell the bridge's own cost apart from the page's.
 */
import { WebSocket } from 'ws'
import { TextWatch } from './text-watch'

/** An open channel: what arrived, with the time each marker appeared. */
export class ChannelClient {
  private readonly watch = new TextWatch()

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return
      this.watch.feed(data.toString('latin1'))
      ws.send(JSON.stringify({ type: 'ack', bytes: data.byteLength }))
    })
  }

  /** Opens the channel of `ticket` on the web server at `port`. */
  static async open(port: number, ticket: string): Promise<ChannelClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/channel/${ticket}`, {
      headers: { origin: `http://127.0.0.1:${port}` },
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return new ChannelClient(ws)
  }

  /** Types text. */
  send(text: string): void {
    this.ws.send(Buffer.from(text, 'utf8'))
  }

  /** Resolves with performance.now() when `pattern` has arrived (now if it has). */
  waitFor(pattern: string, timeoutMs: number): Promise<number> {
    return this.watch.waitFor(pattern, timeoutMs)
  }

  /** Types `command`; resolves with the ms from `begin` to `end` arriving. */
  span(command: string, begin: string, end: string, timeoutMs: number): Promise<number> {
    return this.watch.span(() => this.send(command), begin, end, timeoutMs)
  }

  /** Sends one key; resolves with the ms until its echo arrived. */
  echo(key: string, timeoutMs: number): Promise<number> {
    return this.watch.echo(() => this.send(key), key, timeoutMs)
  }

  /** Closes the channel and waits until it is closed. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return
    const closed = new Promise((resolve) => this.ws.once('close', resolve))
    this.ws.close()
    await closed
  }
}
