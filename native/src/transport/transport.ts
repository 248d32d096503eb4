/**
 * One small interface over any byte stream: a unix socket, a TCP or TLS socket, an SSH
 * channel. The RPC client only ever sees this.
 */
import type { Duplex } from 'node:stream'
import { duplexFlowControl, type StreamFlowControl } from '../rpc/streams'
import { Listeners, toDisposable, type Disposable } from '../util/disposable'

/** A connected byte stream to a libvirt daemon. */
export interface RpcTransport {
  /** Where it goes, for messages: `unix:/var/run/libvirt/libvirt-sock`, `tcp:host:16509`. */
  readonly description: string
  /** Whether it has closed. */
  readonly closed: boolean
  /** Queues bytes for the peer; ignored once closed. The buffer must not be reused. */
  write(bytes: Uint8Array): void
  /** Receives every chunk that arrives. The chunks are fresh buffers, safe to keep. */
  onData(listener: (chunk: Uint8Array) => void): Disposable
  /** Called once when the stream has closed, with why (and the error, if there was one). */
  onClose(listener: (reason: string, cause?: Error) => void): Disposable
  /** Flushes what is queued, then closes. */
  close(): void
  /** Closes at once, dropping anything queued. */
  destroy(cause?: Error): void
  /**
   * The byte stream's pause/resume and drain, for streams (rpc/streams.ts): waiting for
   * drain is safe on any connection; pausing only on one that carries a single stream.
   */
  readonly flow?: StreamFlowControl
}

/**
 * Adapts a Duplex (net.Socket, tls.TLSSocket, an ssh2 channel) to {@link RpcTransport}.
 *
 * Writes issued in the same tick are gathered and written as one buffer on the next tick:
 * 1,000 calls issued at once, or CONNECT_OPEN with its keepalive request, cost one system
 * call. `gatherWrites: false` hands each packet to the stream on its own (TLS, where
 * libvirtd needs a record per packet: tls.ts). Reading starts
 * when the first data listener is added, so nothing is lost before the client is wired.
 * A peer half-close ('end') counts as the connection closing: libvirt never half-closes.
 */
export function duplexTransport(
  stream: Duplex,
  description: string,
  { gatherWrites = true }: { gatherWrites?: boolean } = {},
): RpcTransport {
  const data = new Listeners<[Uint8Array]>()
  const closeListeners = new Listeners<[string, Error | undefined]>()
  let closed = false
  let closeReason: [string, Error | undefined] | undefined
  let error: Error | undefined
  let reading = false
  /** What was written in this tick, in order; flushed on the next. */
  let gathered: Uint8Array[] = []

  const flush = (): void => {
    const batch = gathered
    if (batch.length === 0) return
    gathered = []
    if (closed || stream.destroyed || stream.writableEnded) return
    stream.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch))
  }
  const onDataChunk = (chunk: Buffer): void => data.fire(chunk)
  const onError = (err: Error): void => {
    error ??= err
  }
  const onEnd = (): void => {
    // The peer closed its side; we have nothing more to say either.
    stream.destroy()
  }
  const onClosed = (): void => {
    if (closed) return
    closed = true
    closeReason = [error ? `${description}: ${error.message}` : `${description} closed`, error]
    stream.off('data', onDataChunk)
    stream.off('end', onEnd)
    data.clear()
    closeListeners.fire(...closeReason)
    closeListeners.clear()
  }
  stream.on('error', onError)
  stream.on('end', onEnd)
  stream.on('close', onClosed)
  if (stream.destroyed) queueMicrotask(onClosed)

  return {
    description,
    flow: duplexFlowControl(stream),
    get closed() {
      return closed
    },
    write(bytes) {
      if (closed || stream.destroyed || stream.writableEnded) return
      if (!gatherWrites) {
        stream.write(bytes)
        return
      }
      if (gathered.length === 0) process.nextTick(flush)
      gathered.push(bytes)
    },
    onData(listener) {
      const sub = data.add(listener)
      if (!reading && !closed) {
        reading = true
        stream.on('data', onDataChunk)
      }
      return sub
    },
    onClose(listener) {
      if (closeReason) {
        const [reason, cause] = closeReason
        queueMicrotask(() => listener(reason, cause))
        return toDisposable(() => {})
      }
      return closeListeners.add(listener)
    },
    close() {
      if (closed) return
      flush()
      stream.end()
      // A peer that never closes its side must not keep us around.
      const t = setTimeout(() => stream.destroy(), 1000)
      t.unref()
      stream.once('close', () => clearTimeout(t))
    },
    destroy(cause) {
      if (cause) error ??= cause
      stream.destroy()
    },
  }
}
