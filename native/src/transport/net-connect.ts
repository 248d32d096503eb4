/** Opens a net.Socket (unix or TCP) with a deadline and an abort signal. */
import type { Socket } from 'node:net'
import { TransportError } from '../rpc/errors'
import { duplexTransport, type RpcTransport } from './transport'

/** Options for opening a transport. */
export interface ConnectTransportOptions {
  /** Aborting gives up on the attempt. */
  signal?: AbortSignal
  /** Deadline for the connection to be established (default 10 s). */
  timeoutMs?: number
}

/** Default deadline for establishing a socket connection. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000

/**
 * Waits for `socket` to connect and wraps it as an RpcTransport.
 * @param socket a socket that is connecting (net.createConnection)
 * @param description where it goes, for messages
 * @throws TransportError if it fails, times out or is aborted
 */
export function awaitSocket(
  socket: Socket,
  description: string,
  options: ConnectTransportOptions = {},
): Promise<RpcTransport> {
  const { signal } = options
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.off('connect', onConnect)
      socket.off('error', onError)
    }
    const fail = (reason: string, cause?: unknown): void => {
      cleanup()
      socket.destroy()
      reject(new TransportError(description, reason, cause))
    }
    const onConnect = (): void => {
      cleanup()
      resolve(duplexTransport(socket, description))
    }
    const onError = (err: Error): void => fail(err.message, err)
    const onAbort = (): void => fail('aborted', signal?.reason)
    if (signal?.aborted) {
      fail('aborted', signal.reason)
      return
    }
    socket.once('connect', onConnect)
    socket.once('error', onError)
    signal?.addEventListener('abort', onAbort, { once: true })
    if (timeoutMs > 0) timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs)
  })
}
