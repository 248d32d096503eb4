import type { ZodError } from 'zod'
import type {
  EventSpec,
  MethodSpec,
  ServiceContract,
  ServiceImpl,
  ServiceSpec,
} from '../contract/define'
import {
  CallCancelledError,
  CallTimeoutError,
  ChannelClosedError,
  UnknownMethodError,
  ValidationError,
} from '../contract/errors'
import { DisposableStore, type Disposable } from '../lifecycle'
import { isClientMessage, type ClientMessage, type ServerMessage } from './messages'
import { serializeError } from './serialized-error'
import type { MessageTransport } from './transport'

/** Longest deadline a client may ask for; longer or missing deadlines get this one. */
const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000

interface Registered {
  contract: ServiceContract
  impl: Record<string, unknown>
}

/** Implementations of services, shared by every channel (window or web client). */
export class ServiceRegistry {
  private readonly services = new Map<string, Registered>()

  /** Registers `impl` as the implementation of `contract`. */
  register<S extends ServiceSpec>(contract: ServiceContract<S>, impl: ServiceImpl<S>): void {
    if (this.services.has(contract.name))
      throw new Error(`service ${contract.name} registered twice`)
    this.services.set(contract.name, { contract, impl: impl as Record<string, unknown> })
  }

  /** Looks up a member by service and name. */
  lookup(
    service: string,
    member: string,
  ): { spec: MethodSpec | EventSpec; fn: unknown } | undefined {
    const entry = this.services.get(service)
    if (!entry || !Object.hasOwn(entry.contract.spec, member)) return undefined
    const spec = entry.contract.spec[member]
    return spec && { spec, fn: entry.impl[member] }
  }
}

/** Turns zod issues into a readable message and a per-field list. */
function toValidationError(where: string, error: ZodError): ValidationError {
  const details = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }))
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ')
  return new ValidationError(`Invalid request to ${where}: ${summary}`, details)
}

/**
 * Serves one client over one transport: validates every request against the contract,
 * runs it with an AbortSignal (cancel, deadline, disconnect), and forwards subscribed events.
 * Malformed messages are answered with an error when they carry an id, and dropped otherwise;
 * they never throw.
 */
export class ChannelServer implements Disposable {
  private readonly inflight = new Map<number, AbortController>()
  private readonly subscriptions = new Map<number, Disposable>()
  private readonly store = new DisposableStore()
  private closed = false

  constructor(
    private readonly transport: MessageTransport,
    private readonly registry: ServiceRegistry,
  ) {
    this.store.add(transport.onMessage((m) => this.receive(m)))
    this.store.add(transport.onClose(() => this.dispose()))
  }

  private send(message: ServerMessage): void {
    if (!this.closed) this.transport.send(message)
  }

  private receive(raw: unknown): void {
    if (!isClientMessage(raw)) {
      const id = (raw as { id?: unknown } | null)?.id
      if (typeof id === 'number' && Number.isSafeInteger(id)) {
        const error = new ValidationError('Malformed IPC message', [])
        this.send({ t: 'err', id, error: serializeError(error) })
      }
      return
    }
    this.handle(raw)
  }

  private handle(m: ClientMessage): void {
    switch (m.t) {
      case 'req':
        void this.call(m)
        return
      case 'cancel':
        this.inflight.get(m.id)?.abort(new CallCancelledError('Cancelled by the caller'))
        return
      case 'sub':
        this.subscribe(m)
        return
      case 'unsub':
        this.subscriptions.get(m.id)?.dispose()
        this.subscriptions.delete(m.id)
        return
    }
  }

  private async call(m: Extract<ClientMessage, { t: 'req' }>): Promise<void> {
    const where = `${m.service}.${m.method}`
    const found = this.registry.lookup(m.service, m.method)
    if (!found || found.spec.kind !== 'method' || typeof found.fn !== 'function') {
      const error = new UnknownMethodError(`No method ${where}`)
      this.send({ t: 'err', id: m.id, error: serializeError(error) })
      return
    }
    const parsed = found.spec.input.safeParse(m.input)
    if (!parsed.success) {
      const error = toValidationError(where, parsed.error)
      this.send({ t: 'err', id: m.id, error: serializeError(error) })
      return
    }
    const controller = new AbortController()
    this.inflight.set(m.id, controller)
    const timeoutMs =
      typeof m.timeoutMs === 'number' && m.timeoutMs > 0
        ? Math.min(m.timeoutMs, MAX_TIMEOUT_MS)
        : MAX_TIMEOUT_MS
    const timer = setTimeout(
      () => controller.abort(new CallTimeoutError(`${where} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    )
    try {
      const fn = found.fn as (input: unknown, ctx: { signal: AbortSignal }) => Promise<unknown>
      const value = await raceAbort(
        fn(parsed.data, { signal: controller.signal }),
        controller.signal,
      )
      this.send({ t: 'ok', id: m.id, value })
    } catch (err) {
      this.send({ t: 'err', id: m.id, error: serializeError(err) })
    } finally {
      clearTimeout(timer)
      this.inflight.delete(m.id)
    }
  }

  private subscribe(m: Extract<ClientMessage, { t: 'sub' }>): void {
    const found = this.registry.lookup(m.service, m.event)
    if (!found || found.spec.kind !== 'event' || typeof found.fn !== 'function') {
      const error = new UnknownMethodError(`No event ${m.service}.${m.event}`)
      this.send({ t: 'err', id: m.id, error: serializeError(error) })
      return
    }
    this.subscriptions.get(m.id)?.dispose()
    const subscribe = found.fn as (listener: (payload: unknown) => void) => Disposable
    this.subscriptions.set(
      m.id,
      subscribe((payload) => this.send({ t: 'evt', id: m.id, payload })),
    )
  }

  /** Number of calls and subscriptions alive, for leak checks. */
  get liveCount(): number {
    return this.inflight.size + this.subscriptions.size
  }

  dispose(): void {
    if (this.closed) return
    this.closed = true
    for (const controller of this.inflight.values()) {
      controller.abort(new ChannelClosedError('The client went away'))
    }
    this.inflight.clear()
    for (const sub of this.subscriptions.values()) sub.dispose()
    this.subscriptions.clear()
    this.store.dispose()
  }
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}
