/**
 * Serial consoles as byte channels: open libvirt's console stream of a VM, offer a one-time
 * ticket, and when the page opens the channel bridge the stream to it with ack-based flow
 * control (see ../channels/stream-bridge.ts).
 *
 * Life of a session:
 *   open   -> the stream is open at the daemon, the ticket goes to the page; guest output
 *             waits in the stream's buffer (nothing is read before the page is there)
 *   claim  -> bridged; it ends when the page closes (the stream is aborted), the stream ends
 *             (the VM shut down or closed the console: reason `vm-closed`), the stream fails
 *             (libvirt's message; a lost connection is `connection-lost`) or on dispose
 *   never claimed within the ticket's lifetime -> the ticket is revoked and the stream closed
 */
import {
  ErrorDomain,
  ErrorNumber,
  isConnectionLost,
  lookupDomain,
  openConsole,
  VirtError,
  type Connection,
  type VirStream,
} from '@native'
import { CONSOLE_BUSY, SerialCloseReason } from '@common/contract/consoles'
import type { Disposable } from '@common/lifecycle'
import { bridgeStream, type Bridge, type ChannelBroker, type ChannelPeer } from '../channels'

/** Another client holds the console; opening it with `force` takes it over. */
export class ConsoleBusyError extends Error {
  override readonly name = 'ConsoleBusyError'
  readonly code = CONSOLE_BUSY
}

/** Tuning of {@link SerialConsoles}; the defaults suit the app. */
export interface SerialConsolesOptions {
  /** How long the page has to open a ticket. Default 30 s. */
  ticketTtlMs?: number
  /** Unacknowledged bytes at which the stream is paused. Default 256 KiB. */
  highWater?: number
  /** Unacknowledged bytes at which it resumes. Default 64 KiB. */
  lowWater?: number
}

/** What {@link SerialConsoles.open} needs. */
export interface OpenSerialRequest {
  uuid: string
  /** The device's alias (serial0, console1); the VM's first console when absent. */
  device?: string | undefined
  /** Take the console over from another client (VIR_DOMAIN_CONSOLE_FORCE). */
  force?: boolean | undefined
  signal?: AbortSignal
}

interface Session {
  readonly stream: VirStream
  readonly ticket: string
  timer: ReturnType<typeof setTimeout> | undefined
  peer: ChannelPeer | undefined
  bridge: Bridge | undefined
  /** The stream's first error, kept while nobody is bridged to report it to. */
  error: Error | undefined
}

const DEFAULT_TTL_MS = 30_000
// A terminal consumes fast; 256 KiB is a couple of seconds of a UART at full speed.
const DEFAULT_HIGH_WATER = 256 * 1024
const DEFAULT_LOW_WATER = 64 * 1024

/** Before a second try at taking over a console whose old stream was closing. */
const RETAKE_DELAY_MS = 100

/** libvirt's internal error about a stream (VIR_FROM_STREAMS), e.g. "stream is not open". */
const isClosingStreamError = (err: unknown): boolean =>
  err instanceof VirtError &&
  err.code === ErrorNumber.INTERNAL_ERROR &&
  err.domain === ErrorDomain.STREAMS

/** The page-facing reason for a stream failure: a lost connection, or libvirt's text. */
function failureReason(err: Error): string {
  return isConnectionLost(err) ? SerialCloseReason.connectionLost : err.message
}

/** Opens serial consoles and bridges them to the page's byte channels. */
export class SerialConsoles implements Disposable {
  private readonly sessions = new Set<Session>()
  private readonly ttlMs: number
  private readonly highWater: number
  private readonly lowWater: number

  constructor(
    private readonly broker: ChannelBroker,
    options: SerialConsolesOptions = {},
  ) {
    this.ttlMs = options.ticketTtlMs ?? DEFAULT_TTL_MS
    this.highWater = options.highWater ?? DEFAULT_HIGH_WATER
    this.lowWater = options.lowWater ?? DEFAULT_LOW_WATER
  }

  /** Sessions open at the daemon: waiting for their page, or bridged (for leak checks). */
  get openCount(): number {
    return this.sessions.size
  }

  /** The bridges of the sessions the page has opened (counters for tests and benchmarks). */
  get bridges(): Bridge[] {
    return [...this.sessions].flatMap((s) => (s.bridge ? [s.bridge] : []))
  }

  /**
   * Opens a VM's serial console and returns the ticket of its channel.
   * @throws ConsoleBusyError when another client holds it and `force` is not set; VirtError
   *   (no such domain, not running, no such device, not a pty ...); ConnectionLostError
   */
  async open(conn: Connection, request: OpenSerialRequest): Promise<string> {
    const { signal } = request
    const { handle } = await lookupDomain(conn, request.uuid, signal ? { signal } : undefined)
    const open = () =>
      openConsole(conn, handle, request.device ?? null, {
        ...(request.force ? { force: true } : { safe: true }),
        ...(signal ? { signal } : {}),
      })
    let stream: VirStream
    try {
      stream = await open()
    } catch (err) {
      // virChrdevOpen: "Active console session exists for this domain".
      if (!request.force && err instanceof VirtError && err.code === ErrorNumber.OPERATION_FAILED) {
        throw new ConsoleBusyError(err.message)
      }
      // Taking over a session whose stream is closing at that moment: "stream is not open".
      if (!request.force || !isClosingStreamError(err)) throw err
      await new Promise((r) => setTimeout(r, RETAKE_DELAY_MS))
      stream = await open()
    }
    return this.offer(stream)
  }

  private offer(stream: VirStream): string {
    const ticket = this.broker.offer((peer) => this.claimed(session, peer), this.ttlMs + 1000)
    const session: Session = {
      stream,
      ticket,
      timer: undefined,
      peer: undefined,
      bridge: undefined,
      // It may have failed as it opened (taken over at once): see openConsole.
      error: (stream.errored as Error | null) ?? undefined,
    }
    this.sessions.add(session)
    // A stream that fails before the page comes keeps its error for the page; its ticket
    // stays valid so that the page learns why, and expires like any other.
    stream.on('error', (err: Error) => (session.error ??= err))
    // Our own deadline, before the broker's: the stream must not stay open at the daemon.
    session.timer = setTimeout(() => {
      session.timer = undefined
      if (!session.peer) this.end(session)
    }, this.ttlMs)
    session.timer.unref?.()
    return ticket
  }

  private claimed(session: Session, peer: ChannelPeer): void {
    session.peer = peer
    if (session.timer !== undefined) clearTimeout(session.timer)
    session.timer = undefined
    peer.onClose(() => this.sessions.delete(session))
    const { stream } = session
    if (stream.destroyed) {
      const err = session.error
      peer.close(err ? failureReason(err) : SerialCloseReason.vmClosed, err !== undefined)
      return
    }
    // Registered before the bridge's own handler, so the page gets our reason.
    stream.once('error', (err: Error) => peer.close(failureReason(err), true))
    session.bridge = bridgeStream(peer, stream, {
      highWater: this.highWater,
      lowWater: this.lowWater,
      endReason: SerialCloseReason.vmClosed,
    })
  }

  /** Ends a session that has no page yet: its ticket is revoked and its stream closed. */
  private end(session: Session): void {
    if (session.peer) return
    if (session.timer !== undefined) clearTimeout(session.timer)
    session.timer = undefined
    this.broker.claim(session.ticket) // revokes it
    if (!session.stream.destroyed) session.stream.destroy()
    this.sessions.delete(session)
  }

  /** Closes every console: bridged ones tell their page the app is shutting down. */
  dispose(): void {
    for (const session of [...this.sessions]) {
      if (session.peer) session.peer.close(SerialCloseReason.shutdown)
      else this.end(session)
    }
    this.sessions.clear()
  }
}
