/**
 * The daemon side of event subscriptions (see events.ts): one registration per event kind,
 * made for the first subscriber and dropped after the last, with the register and
 * deregister calls of a kind run one at a time, in order. Internal to api/.
 *
 * A register call answers `{ int callbackID }`; every later message of the kind starts
 * with that id (except CONNECTION_CLOSED, one per connection). Messages that arrive while
 * the register call is in flight are held until its reply names the id: the reply and the
 * first events can share one read, and the reply's promise settles only after that read.
 */
import { REMOTE_PROGRAM } from '../protocol/generated/constants.gen'
import type { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import type { CallOptions } from '../rpc/caller'
import type { RpcClient } from '../rpc/client'
import type { ConnectionLostError } from '../rpc/errors'
import type { Packet } from '../rpc/packet'
import type { Disposable } from '../util/disposable'
import {
  EVENT_SPECS,
  type DecodedEvent,
  type EventFamily,
  type EventKind,
  type EventSpec,
} from './event-types'

/** One local subscription, as the registry sees it. */
export interface Subscriber {
  /** Local filter; events it rejects are not delivered. */
  readonly where: ((e: unknown) => boolean) | undefined
  deliver(e: unknown): void
  /** The daemon now sends this kind. */
  registered(): void
  /** Ends the subscription (idempotent); the registry calls it on failure and loss. */
  end(err: Error | undefined): void
}

interface Registration {
  readonly spec: EventSpec<unknown>
  readonly subscribers: Set<Subscriber>
  registered: boolean
  registering: boolean
  callbackID: number | null
  /** Events that came while the register call was in flight. */
  readonly held: DecodedEvent<unknown>[]
  route: Disposable | null
  /** The register/deregister calls of this kind, chained. */
  busy: Promise<void>
}

const REGISTER_TIMEOUT_MS = 30_000
/** Deadline of a deregister call, and the most close() waits. */
const DEREGISTER_TIMEOUT_MS = 5_000
const MAX_HELD = 256

/** The registrations of one connection. */
export class EventRegistry {
  /** Event messages that did not decode (dropped; should stay 0). */
  malformedEvents = 0
  /** Set once the connection is gone. */
  lost: ConnectionLostError | null = null
  /** Set by close(): no more registrations. */
  closing = false
  private readonly regs = new Map<EventKind, Registration>()
  private readonly closeSub: Disposable

  /**
   * @param rpc where events arrive
   * @param remote where register/deregister calls go
   */
  constructor(
    private readonly rpc: RpcClient,
    private readonly remote: RemoteCalls,
  ) {
    this.closeSub = rpc.onClose((err) => this.shutdown(err))
  }

  /** Event kinds registered with the daemon (or being registered). */
  get registrations(): number {
    let n = 0
    for (const r of this.regs.values()) if (r.registered || r.registering) n++
    return n
  }

  /** Local subscribers across all kinds. */
  get subscribers(): number {
    let n = 0
    for (const r of this.regs.values()) n += r.subscribers.size
    return n
  }

  /** Adds a subscriber; calls its registered() at once if the kind is registered already. */
  add(kind: EventKind, sub: Subscriber): void {
    const reg = this.registration(kind)
    reg.subscribers.add(sub)
    if (reg.registered) sub.registered()
    this.reconcile(reg)
  }

  /** Removes a subscriber (deregisters after the last one). */
  remove(kind: EventKind, sub: Subscriber): void {
    const reg = this.regs.get(kind)
    if (reg?.subscribers.delete(sub)) this.reconcile(reg)
  }

  /**
   * Ends every subscriber quietly and deregisters everything; waits at most 5 s for a
   * daemon that does not answer. Never throws.
   */
  async close(): Promise<void> {
    if (this.lost || this.closing) return
    this.closing = true
    if (this.regs.size === 0) return
    for (const reg of this.regs.values()) {
      for (const sub of [...reg.subscribers]) sub.end(undefined)
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      Promise.all([...this.regs.values()].map((r) => r.busy)),
      new Promise((resolve) => (timer = setTimeout(resolve, DEREGISTER_TIMEOUT_MS))),
    ])
    clearTimeout(timer)
  }

  private registration(kind: EventKind): Registration {
    let reg = this.regs.get(kind)
    if (!reg) {
      reg = {
        spec: EVENT_SPECS[kind] as EventSpec<unknown>,
        subscribers: new Set(),
        registered: false,
        registering: false,
        callbackID: null,
        held: [],
        route: null,
        busy: Promise.resolve(),
      }
      this.regs.set(kind, reg)
    }
    return reg
  }

  /** Queues a step that brings the daemon's registration in line with the subscribers. */
  private reconcile(reg: Registration): void {
    reg.busy = reg.busy.then(() => this.step(reg)).catch(() => {})
  }

  private async step(reg: Registration): Promise<void> {
    for (;;) {
      if (this.lost) return
      const want = reg.subscribers.size > 0 && !this.closing
      if (want === reg.registered) return
      if (want) {
        reg.route ??= this.rpc.onMessage(REMOTE_PROGRAM, reg.spec.procedure, (p) =>
          this.onPacket(reg, p),
        )
        reg.registering = true
        let id: number | null
        try {
          id = await register(this.remote, reg.spec.family, reg.spec.eventId, {
            timeoutMs: REGISTER_TIMEOUT_MS,
          })
        } catch (err) {
          reg.held.length = 0
          this.dropRoute(reg)
          for (const sub of [...reg.subscribers]) sub.end(err as Error)
          return
        } finally {
          reg.registering = false
        }
        reg.registered = true
        reg.callbackID = id
        for (const sub of reg.subscribers) sub.registered()
        for (const d of reg.held.splice(0)) this.dispatch(reg, d)
      } else {
        const id = reg.callbackID
        reg.registered = false
        reg.callbackID = null
        this.dropRoute(reg)
        try {
          await deregister(this.remote, reg.spec.family, id, { timeoutMs: DEREGISTER_TIMEOUT_MS })
        } catch {
          // The connection is going, or the daemon already forgot it: nothing left to undo.
        }
      }
    }
  }

  private onPacket(reg: Registration, packet: Packet): void {
    let decoded: DecodedEvent<unknown>
    try {
      decoded = reg.spec.decode(packet.body)
    } catch {
      this.malformedEvents++
      return
    }
    if (reg.registered) this.dispatch(reg, decoded)
    else if (reg.registering && reg.held.length < MAX_HELD) reg.held.push(decoded)
  }

  private dispatch(reg: Registration, d: DecodedEvent<unknown>): void {
    // A stale id: an event of a registration we have just dropped.
    if (d.callbackID !== null && d.callbackID !== reg.callbackID) return
    for (const sub of [...reg.subscribers]) {
      if (!sub.where || sub.where(d.event)) sub.deliver(d.event)
    }
  }

  private dropRoute(reg: Registration): void {
    reg.route?.dispose()
    reg.route = null
  }

  /** The connection is gone: end everything with its error (the client dropped the routes). */
  private shutdown(err: ConnectionLostError): void {
    if (this.lost) return
    this.lost = err
    this.closeSub.dispose()
    for (const reg of this.regs.values()) {
      reg.registered = false
      reg.registering = false
      reg.route = null
      reg.held.length = 0
      for (const sub of [...reg.subscribers]) sub.end(err)
    }
    this.regs.clear()
  }
}

/** The register call of a family; resolves with the callbackID (null for connectionClose). */
async function register(
  remote: RemoteCalls,
  family: EventFamily,
  eventID: number,
  o: CallOptions,
): Promise<number | null> {
  switch (family) {
    case 'domain':
      return (await remote.connectDomainEventCallbackRegisterAny({ eventID, dom: null }, o))
        .callbackID
    case 'network':
      return (await remote.connectNetworkEventRegisterAny({ eventID, net: null }, o)).callbackID
    case 'storagePool':
      return (await remote.connectStoragePoolEventRegisterAny({ eventID, pool: null }, o))
        .callbackID
    case 'connectionClose':
      await remote.connectRegisterCloseCallback(o)
      return null
  }
}

/** The deregister call of a family. */
async function deregister(
  remote: RemoteCalls,
  family: EventFamily,
  callbackID: number | null,
  o: CallOptions,
): Promise<void> {
  if (family === 'connectionClose') return remote.connectUnregisterCloseCallback(o)
  if (callbackID === null) return
  const args = { callbackID }
  if (family === 'domain') return remote.connectDomainEventCallbackDeregisterAny(args, o)
  if (family === 'network') return remote.connectNetworkEventDeregisterAny(args, o)
  return remote.connectStoragePoolEventDeregisterAny(args, o)
}
