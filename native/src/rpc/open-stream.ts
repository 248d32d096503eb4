/**
 * Opening a libvirt stream: the CALL, then a VirStream attached to its serial before any
 * packet of it can arrive (protocol README section 13).
 */
import type { Decoder, Encoder } from '../xdr/codecs'
import type { CallOptions } from './caller'
import type { RpcClient } from './client'
import { ProtocolError, RpcTimeoutError } from './errors'
import { procedureName } from './procedure-names'
import { VirStream, type StreamDirection, type StreamOptions } from './streams'

/** The call that opens a stream. */
export interface StreamCall<A, R> {
  program: number
  version: number
  procedure: number
  args: A
  encodeArgs: Encoder<A>
  decodeRet: Decoder<R>
  direction: StreamDirection
}

/** A stream and the opening call's reply. */
export interface OpenedStream<R> {
  stream: VirStream
  ret: R
}

/**
 * Sends the opening call and returns the stream once the daemon has accepted it.
 *
 * An abort or deadline rejects at once; if the daemon opens the stream anyway (its reply
 * arrives late), the stream is aborted then, so a console is never left held open.
 * @throws VirtError (the daemon refused), ConnectionLostError, RpcTimeoutError, abort reason
 */
export async function openStream<A, R>(
  rpc: RpcClient,
  call: StreamCall<A, R>,
  options: StreamOptions & CallOptions = {},
): Promise<OpenedStream<R>> {
  const { signal, timeoutMs } = options
  signal?.throwIfAborted()
  // timeoutMs 0: no deadline inside the client, whose late-reply handling would drop the
  // reply we need here to abort a stream opened too late.
  const started = rpc.startCall(
    call.program,
    call.version,
    call.procedure,
    call.args,
    call.encodeArgs,
    call.decodeRet,
    { timeoutMs: 0 },
  )
  if (started.serial === 0) {
    await started.reply // rejects: the connection is gone
    throw new ProtocolError(`${procedureName(call.program, call.procedure)} was not sent`)
  }
  const stream = new VirStream(rpc, { ...call, serial: started.serial }, call.direction, options)
  stream.attach()
  let settled = false
  try {
    const ret = await raceDeadline(started.reply, stream.procedure, signal, timeoutMs)
    settled = true
    holdEarlyError(stream)
    return { stream, ret }
  } finally {
    if (!settled) {
      // Either the daemon refused (no stream exists) or we gave up first: then abort the
      // stream when the late reply opens it. Nobody holds this stream: its errors go nowhere.
      stream.on('error', () => {})
      started.reply.then(
        () => void stream.abort(),
        () => stream.discard(),
      )
    }
  }
}

/**
 * The daemon may fail a stream in the same read as the reply that opened it (another client
 * took the console over at once): Node would emit that 'error' before the caller's code
 * after `await` can listen, and an unheard 'error' ends the process. A listener holds it
 * until then; the caller finds the stream `destroyed`, with the error in `stream.errored`.
 */
function holdEarlyError(stream: VirStream): void {
  const hold = (): void => {}
  stream.on('error', hold)
  setImmediate(() => stream.off('error', hold))
}

/** `promise`, or a rejection when `signal` aborts or `timeoutMs` passes first. */
function raceDeadline<T>(
  promise: Promise<T>,
  procedure: string,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): Promise<T> {
  if (!signal && !(timeoutMs !== undefined && timeoutMs > 0)) return promise
  return new Promise<T>((resolve, reject) => {
    const timer =
      timeoutMs !== undefined && timeoutMs > 0
        ? setTimeout(
            () => finish(() => reject(new RpcTimeoutError(procedure, timeoutMs))),
            timeoutMs,
          )
        : undefined
    const onAbort = (): void => finish(() => reject(signal?.reason))
    signal?.addEventListener('abort', onAbort, { once: true })
    function finish(settle: () => void): void {
      if (timer !== undefined) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      settle()
    }
    promise.then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    )
  })
}
