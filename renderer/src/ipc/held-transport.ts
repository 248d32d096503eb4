import type { MessageTransport } from '@common/ipc/transport'
import { Emitter, type Disposable } from '@common/lifecycle'

type Arrival = { message: unknown } | { closed: string }

/**
 * A transport that sends at once but keeps what arrives until release(): start-up asks main
 * for its first data the moment the link opens, while the UI's code is still loading, and
 * the replies wait here until the stores listen. After release() the kept arrivals are
 * handed on in their order, each in a task of its own as the socket would have delivered
 * them, so every reply's promise continuations run before the next arrival (a reply and a
 * later event about the same thing apply in that order); then arrivals pass straight through.
 */
export class HeldTransport implements MessageTransport {
  private readonly messages = new Emitter<unknown>()
  private readonly closes = new Emitter<string>()
  private readonly kept: Arrival[] = []
  private held = true
  private draining = false
  private readonly subscriptions: Disposable[]

  readonly onMessage = this.messages.event
  readonly onClose = this.closes.event

  constructor(
    private readonly inner: MessageTransport,
    /** Runs a callback in a later task (a MessageChannel; replaceable in tests). */
    private readonly nextTask: (callback: () => void) => void = postTask,
  ) {
    this.subscriptions = [
      inner.onMessage((message) => this.arrive({ message })),
      inner.onClose((reason) => this.arrive({ closed: reason })),
    ]
  }

  send(message: unknown): void {
    this.inner.send(message)
  }

  close(): void {
    this.inner.close()
  }

  /** Hands on what arrived so far, one arrival per task, then everything as it comes. */
  release(): void {
    if (!this.held) return
    this.held = false
    this.drain()
  }

  private arrive(arrival: Arrival): void {
    if (this.held || this.draining) this.kept.push(arrival)
    else this.deliver(arrival)
  }

  private drain(): void {
    const next = this.kept.shift()
    if (!next) {
      this.draining = false
      return
    }
    this.draining = true
    this.deliver(next)
    this.nextTask(() => this.drain())
  }

  private deliver(arrival: Arrival): void {
    if ('message' in arrival) {
      this.messages.fire(arrival.message)
      return
    }
    this.closes.fire(arrival.closed)
    for (const s of this.subscriptions) s.dispose()
    this.messages.dispose()
    this.closes.dispose()
  }
}

/** Runs `callback` in a task of its own (not a timer: nested timers are clamped to 4 ms). */
function postTask(callback: () => void): void {
  const channel = new MessageChannel()
  channel.port1.onmessage = () => {
    channel.port1.close()
    callback()
  }
  channel.port2.postMessage(null)
}
