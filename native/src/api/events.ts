/**
 * Event subscriptions of one connection: `conn.events`.
 *
 *   const sub = conn.events.onDomainLifecycle((e) => console.log(e.domain.name, e.eventName))
 *   await sub.ready; ...; sub.dispose()
 *
 *   for await (const e of conn.events.domainLifecycle({ signal })) update(e)
 *
 * - One registration with the daemon per event kind, shared by every local subscriber:
 *   the daemon refuses a second registration of the same event id and filter ("event
 *   callback already tracked"), so we register once (for all objects) and fan out here,
 *   applying each subscriber's `where` filter locally.
 * - The registration is made when the first subscriber comes and dropped (deregister
 *   call) when the last one goes. Register and deregister calls of one kind run one at a
 *   time, in order, so a quick unsubscribe/subscribe never races the daemon.
 * - Events that arrive while the register call is in flight are held and delivered once
 *   its reply names the callbackID (the reply and the first events may share one read).
 * - Connection loss (including Connection.dispose()) ends every subscription with the
 *   ConnectionLostError; an iterator first yields what it holds, then throws. `close()`
 *   (run by Connection.close) ends them quietly and deregisters before the goodbye.
 */
import { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import type { RpcClient } from '../rpc/client'
import { ConnectionLostError } from '../rpc/errors'
import type { Disposable } from '../util/disposable'
import { DEFAULT_MAX_QUEUE, EventQueue } from './event-queue'
import { EventRegistry, type Subscriber } from './event-registry'
import type { EventKind, EventKinds } from './event-types'

/** Options of the callback form. */
export interface SubscribeOptions<E> {
  /** Only events for which this returns true (e.g. {@link forDomain}). */
  where?: (event: E) => boolean
  /** Aborting disposes the subscription. */
  signal?: AbortSignal
  /**
   * Called once when the subscription ends: with the error when the registration failed
   * or the connection was lost, with undefined when it was disposed, aborted or closed.
   */
  onEnd?: (err: Error | undefined) => void
}

/** Options of the async-iterator form. */
export interface IterateOptions<E> {
  /** Only events for which this returns true. */
  where?: (event: E) => boolean
  /** Aborting ends the iteration quietly (the loop just finishes). */
  signal?: AbortSignal
  /** Events kept for a slow consumer before the oldest are dropped. Default 1024. */
  maxQueue?: number
}

/** A callback subscription. */
export interface EventSubscription extends Disposable {
  /** Resolves once the daemon sends these events; rejects if it refused the registration. */
  readonly ready: Promise<void>
}

/** An async-iterator subscription: `for await (const e of stream)`. */
export interface EventStream<E> extends AsyncIterableIterator<E> {
  /** Resolves once the daemon sends these events; rejects if it refused the registration. */
  readonly ready: Promise<void>
  /** Events dropped (oldest first) because the consumer fell `maxQueue` behind. */
  readonly dropped: number
  /** Stops the subscription, as `break` in `for await` does. */
  return(): Promise<IteratorResult<E>>
}

/** A `where` filter: events of the domain with this name or UUID. */
export function forDomain(
  nameOrUuid: string,
): (e: { domain: { name: string; uuid: string } }) => boolean {
  const key = nameOrUuid.toLowerCase()
  return (e) => e.domain.name === nameOrUuid || e.domain.uuid === key
}

/** Every event subscription of one connection (see the module comment). */
export class EventHub {
  private readonly registry: EventRegistry

  /**
   * @param rpc the connection's RPC client (events arrive through it)
   * @param remote where register/deregister calls go (default: the same client)
   */
  constructor(rpc: RpcClient, remote: RemoteCalls = new RemoteCalls(rpc)) {
    this.registry = new EventRegistry(rpc, remote)
  }

  /** Event kinds currently registered with the daemon. */
  get registrations(): number {
    return this.registry.registrations
  }

  /** Local subscribers across all kinds. */
  get subscribers(): number {
    return this.registry.subscribers
  }

  /** Event messages that did not decode (dropped; should stay 0). */
  get malformedEvents(): number {
    return this.registry.malformedEvents
  }

  /** Calls `listener` for every event of `kind` until disposed. */
  on<K extends EventKind>(
    kind: K,
    listener: (event: EventKinds[K]) => void,
    options: SubscribeOptions<EventKinds[K]> = {},
  ): EventSubscription {
    const deliver = (e: EventKinds[K]): void => {
      try {
        listener(e)
      } catch (err) {
        // A listener's bug surfaces as an uncaught exception without stopping the others.
        queueMicrotask(() => {
          throw err
        })
      }
    }
    return this.subscribe(kind, deliver, options.where, options.signal, options.onEnd)
  }

  /** Events of `kind` as an async iterator (bounded; see event-queue.ts). */
  iterate<K extends EventKind>(
    kind: K,
    options: IterateOptions<EventKinds[K]> = {},
  ): EventStream<EventKinds[K]> {
    const holder: { sub?: EventSubscription } = {}
    const queue = new EventQueue<EventKinds[K]>(options.maxQueue ?? DEFAULT_MAX_QUEUE, () =>
      holder.sub?.dispose(),
    )
    const sub = this.subscribe(
      kind,
      (e) => queue.push(e),
      options.where,
      options.signal,
      (err) => queue.end(err),
    )
    holder.sub = sub
    return Object.assign(queue, { ready: sub.ready })
  }

  /** Domain lifecycle events (defined, started, suspended, resumed, stopped ...). */
  domainLifecycle(o?: IterateOptions<EventKinds['domainLifecycle']>) {
    return this.iterate('domainLifecycle', o)
  }
  /** Callback form of {@link domainLifecycle}. */
  onDomainLifecycle(
    l: (e: EventKinds['domainLifecycle']) => void,
    o?: SubscribeOptions<EventKinds['domainLifecycle']>,
  ) {
    return this.on('domainLifecycle', l, o)
  }
  /** Guest reboots. */
  domainReboot(o?: IterateOptions<EventKinds['domainReboot']>) {
    return this.iterate('domainReboot', o)
  }
  /** Callback form of {@link domainReboot}. */
  onDomainReboot(
    l: (e: EventKinds['domainReboot']) => void,
    o?: SubscribeOptions<EventKinds['domainReboot']>,
  ) {
    return this.on('domainReboot', l, o)
  }
  /** Devices hot-plugged into domains. */
  domainDeviceAdded(o?: IterateOptions<EventKinds['domainDeviceAdded']>) {
    return this.iterate('domainDeviceAdded', o)
  }
  /** Callback form of {@link domainDeviceAdded}. */
  onDomainDeviceAdded(
    l: (e: EventKinds['domainDeviceAdded']) => void,
    o?: SubscribeOptions<EventKinds['domainDeviceAdded']>,
  ) {
    return this.on('domainDeviceAdded', l, o)
  }
  /** Devices removed from domains (the guest released them). */
  domainDeviceRemoved(o?: IterateOptions<EventKinds['domainDeviceRemoved']>) {
    return this.iterate('domainDeviceRemoved', o)
  }
  /** Callback form of {@link domainDeviceRemoved}. */
  onDomainDeviceRemoved(
    l: (e: EventKinds['domainDeviceRemoved']) => void,
    o?: SubscribeOptions<EventKinds['domainDeviceRemoved']>,
  ) {
    return this.on('domainDeviceRemoved', l, o)
  }
  /** Device removals the guest refused. */
  domainDeviceRemovalFailed(o?: IterateOptions<EventKinds['domainDeviceRemovalFailed']>) {
    return this.iterate('domainDeviceRemovalFailed', o)
  }
  /** Callback form of {@link domainDeviceRemovalFailed}. */
  onDomainDeviceRemovalFailed(
    l: (e: EventKinds['domainDeviceRemovalFailed']) => void,
    o?: SubscribeOptions<EventKinds['domainDeviceRemovalFailed']>,
  ) {
    return this.on('domainDeviceRemovalFailed', l, o)
  }
  /** Completed jobs (migration, save, dump ...) with their statistics. */
  domainJobCompleted(o?: IterateOptions<EventKinds['domainJobCompleted']>) {
    return this.iterate('domainJobCompleted', o)
  }
  /** Callback form of {@link domainJobCompleted}. */
  onDomainJobCompleted(
    l: (e: EventKinds['domainJobCompleted']) => void,
    o?: SubscribeOptions<EventKinds['domainJobCompleted']>,
  ) {
    return this.on('domainJobCompleted', l, o)
  }
  /** Guest agents connecting and disconnecting. */
  domainAgentLifecycle(o?: IterateOptions<EventKinds['domainAgentLifecycle']>) {
    return this.iterate('domainAgentLifecycle', o)
  }
  /** Callback form of {@link domainAgentLifecycle}. */
  onDomainAgentLifecycle(
    l: (e: EventKinds['domainAgentLifecycle']) => void,
    o?: SubscribeOptions<EventKinds['domainAgentLifecycle']>,
  ) {
    return this.on('domainAgentLifecycle', l, o)
  }
  /** Network lifecycle events. */
  networkLifecycle(o?: IterateOptions<EventKinds['networkLifecycle']>) {
    return this.iterate('networkLifecycle', o)
  }
  /** Callback form of {@link networkLifecycle}. */
  onNetworkLifecycle(
    l: (e: EventKinds['networkLifecycle']) => void,
    o?: SubscribeOptions<EventKinds['networkLifecycle']>,
  ) {
    return this.on('networkLifecycle', l, o)
  }
  /** Storage pool lifecycle events. */
  storagePoolLifecycle(o?: IterateOptions<EventKinds['storagePoolLifecycle']>) {
    return this.iterate('storagePoolLifecycle', o)
  }
  /** Callback form of {@link storagePoolLifecycle}. */
  onStoragePoolLifecycle(
    l: (e: EventKinds['storagePoolLifecycle']) => void,
    o?: SubscribeOptions<EventKinds['storagePoolLifecycle']>,
  ) {
    return this.on('storagePoolLifecycle', l, o)
  }
  /** The daemon's connection to its driver closed (not our connection to the daemon). */
  connectionClosed(o?: IterateOptions<EventKinds['connectionClosed']>) {
    return this.iterate('connectionClosed', o)
  }
  /** Callback form of {@link connectionClosed}. */
  onConnectionClosed(
    l: (e: EventKinds['connectionClosed']) => void,
    o?: SubscribeOptions<EventKinds['connectionClosed']>,
  ) {
    return this.on('connectionClosed', l, o)
  }

  /**
   * Ends every subscription quietly and deregisters from the daemon (Connection.close
   * runs this before CONNECT_CLOSE). Later subscriptions end at once. Never throws, and
   * waits at most 5 s for a daemon that does not answer.
   */
  close(): Promise<void> {
    return this.registry.close()
  }

  private subscribe<E>(
    kind: EventKind,
    deliver: (e: E) => void,
    where: ((e: E) => boolean) | undefined,
    signal: AbortSignal | undefined,
    onEnd: ((err: Error | undefined) => void) | undefined,
  ): EventSubscription {
    let resolveReady!: () => void
    let rejectReady!: (err: Error) => void
    const ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve
      rejectReady = reject
    })
    ready.catch(() => {}) // a rejection nobody awaits is not an unhandled one
    let active = true
    const onAbort = (): void => sub.end(undefined)
    const sub: Subscriber = {
      where: where as ((e: unknown) => boolean) | undefined,
      deliver: deliver as (e: unknown) => void,
      registered: () => resolveReady(),
      end: (err) => {
        if (!active) return
        active = false
        signal?.removeEventListener('abort', onAbort)
        this.registry.remove(kind, sub)
        if (err) rejectReady(err)
        else resolveReady()
        onEnd?.(err)
      },
    }
    const { lost, closing } = this.registry
    const refused = lost ?? (closing ? new ConnectionLostError('the connection is closing') : null)
    if (refused || signal?.aborted) {
      queueMicrotask(() => sub.end(refused ?? undefined))
    } else {
      signal?.addEventListener('abort', onAbort, { once: true })
      this.registry.add(kind, sub)
    }
    return { ready, dispose: () => sub.end(undefined) }
  }
}
