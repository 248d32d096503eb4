import type { CallOptions, ServiceClient, ServiceContract, ServiceSpec } from '../contract/define'
import { CallCancelledError, CallTimeoutError, ChannelClosedError } from '../contract/errors'
import { DisposableStore, Emitter, toDisposable, type Disposable } from '../lifecycle'
import { isServerMessage, type ClientMessage, type ServerMessage } from './messages'
import { deserializeError } from './serialized-error'
import type { MessageTransport } from './transport'

interface Pending {
  resolve(value: unknown): void
  reject(error: unknown): void
  cleanup(): void
}

/**
 * The calling side of the IPC channel. Calls are matched to replies by id; a cancelled or
 * timed-out call rejects at once and tells the server to abort; a closed transport rejects
 * every pending call with ChannelClosedError.
 */
export class ChannelClient implements Disposable {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Map<number, (payload: unknown) => void>()
  private readonly store = new DisposableStore()
  private readonly closeEmitter = new Emitter<string>()
  private closedReason: string | undefined

  /** Fires once when the channel closes. */
  readonly onClose = this.closeEmitter.event

  constructor(private readonly transport: MessageTransport) {
    this.store.add(transport.onMessage((m) => this.receive(m)))
    this.store.add(transport.onClose((reason) => this.closeAll(reason)))
    this.store.add(this.closeEmitter)
  }

  /** Whether the channel is closed; calls then fail at once. */
  get isClosed(): boolean {
    return this.closedReason !== undefined
  }

  /** Calls `service.method` with `input`. */
  call(
    service: string,
    method: string,
    input: unknown,
    options: CallOptions = {},
  ): Promise<unknown> {
    if (this.closedReason !== undefined) {
      return Promise.reject(
        new ChannelClosedError(`Connection to the app closed: ${this.closedReason}`),
      )
    }
    const { signal, timeoutMs } = options
    if (signal?.aborted) return Promise.reject(toError(signal.reason))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      const cancel = (error: Error) => {
        if (!this.pending.has(id)) return
        this.settle(id)?.cleanup()
        this.post({ t: 'cancel', id })
        reject(error)
      }
      const onAbort = () => cancel(toError(signal?.reason))
      signal?.addEventListener('abort', onAbort, { once: true })
      const timer =
        timeoutMs !== undefined
          ? setTimeout(
              () =>
                cancel(
                  new CallTimeoutError(`${service}.${method} timed out after ${timeoutMs} ms`),
                ),
              timeoutMs,
            )
          : undefined
      this.pending.set(id, {
        resolve,
        reject,
        cleanup: () => {
          if (timer !== undefined) clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
        },
      })
      const message: ClientMessage = { t: 'req', id, service, method, input }
      if (timeoutMs !== undefined) message.timeoutMs = timeoutMs
      this.post(message)
    })
  }

  /** Subscribes to `service.event`; dispose the result to unsubscribe. */
  subscribe(service: string, event: string, listener: (payload: unknown) => void): Disposable {
    const id = this.nextId++
    this.listeners.set(id, listener)
    this.post({ t: 'sub', id, service, event })
    return toDisposable(() => {
      if (this.listeners.delete(id)) this.post({ t: 'unsub', id })
    })
  }

  /** Number of pending calls and live subscriptions, for leak checks. */
  get liveCount(): number {
    return this.pending.size + this.listeners.size
  }

  private post(message: ClientMessage): void {
    if (this.closedReason === undefined) this.transport.send(message)
  }

  private settle(id: number): Pending | undefined {
    const entry = this.pending.get(id)
    this.pending.delete(id)
    return entry
  }

  private receive(raw: unknown): void {
    if (!isServerMessage(raw)) return
    const m: ServerMessage = raw
    if (m.t === 'evt') {
      this.listeners.get(m.id)?.(m.payload)
      return
    }
    const entry = this.settle(m.id)
    if (entry) {
      entry.cleanup()
      if (m.t === 'ok') entry.resolve(m.value)
      else entry.reject(deserializeError(m.error))
    } else if (m.t === 'err' && this.listeners.has(m.id)) {
      // A subscription the server refused: forget it so it does not count as live.
      this.listeners.delete(m.id)
    }
  }

  private closeAll(reason: string): void {
    if (this.closedReason !== undefined) return
    this.closedReason = reason
    for (const [id, entry] of this.pending) {
      entry.cleanup()
      entry.reject(new ChannelClosedError(`Connection to the app closed: ${reason}`))
      this.pending.delete(id)
    }
    this.listeners.clear()
    this.closeEmitter.fire(reason)
  }

  dispose(): void {
    this.closeAll('disposed')
    this.store.dispose()
    this.transport.close()
  }
}

/** Builds the typed client of one service contract over a channel. */
export function createServiceClient<S extends ServiceSpec>(
  channel: ChannelClient,
  contract: ServiceContract<S>,
): ServiceClient<S> {
  const client: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(contract.spec)) {
    client[key] =
      member.kind === 'method'
        ? (input: unknown, options?: CallOptions) =>
            channel.call(contract.name, key, input, options)
        : (listener: (payload: unknown) => void) => channel.subscribe(contract.name, key, listener)
  }
  return client as ServiceClient<S>
}

/** The error an aborted call rejects with: the caller's own reason, else CallCancelledError. */
function toError(reason: unknown): Error {
  return reason instanceof Error && reason.name !== 'AbortError'
    ? reason
    : new CallCancelledError('Cancelled by the caller')
}
