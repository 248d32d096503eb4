/**
 * The keepalive program (0x6b656570, "keep"; protocol README section 11): PING = 1 and
 * PONG = 2, both MESSAGE packets with status OK, serial 0 and an empty body.
 *
 * - Every PING from the daemon is answered with a PONG at once, from the packet reader
 *   (never queued behind calls): after CONNECT_SUPPORTS_FEATURE(10) the daemon drops a
 *   client that leaves 5 pings unanswered.
 * - The daemon starts pinging us once asked (CONNECT_SUPPORTS_FEATURE 10). With our own
 *   pings on, that request goes out with our first check, one interval after the open,
 *   so a connection opened for one call pays nothing for keepalive (python3-libvirt asks
 *   only when told to); without them, the opener asks at once.
 * - Our own side: every `intervalMs` we look whether anything arrived since the last
 *   look. If not, we send a PING and count it; after `maxMissed` such pings without any
 *   packet in between, the peer is declared dead and the connection fails with
 *   ConnectionLostError. So a silent peer is detected between `maxMissed * intervalMs`
 *   and `(maxMissed + 1) * intervalMs` after its last packet.
 */
import { KEEPALIVE_PROGRAM, KEEPALIVE_PROTOCOL_VERSION } from '../protocol/generated/constants.gen'
import { KeepaliveProcedure } from '../protocol/generated/keepalive-types.gen'
import type { Disposable } from '../util/disposable'
import type { RpcClient } from './client'
import { ConnectionLostError } from './errors'
import { encodeEmptyPacket, MessageStatus, MessageType } from './packet'

/** Keepalive settings; the defaults are the daemon's own (5 s, 5 pings). */
export interface KeepaliveOptions {
  /** How often to check for silence and send a PING; 0 disables our own pings. */
  intervalMs?: number
  /** Unanswered pings after which the peer is declared dead. */
  maxMissed?: number
}

/** Default interval between our pings. */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 5000
/** Default number of unanswered pings before the peer is declared dead. */
export const DEFAULT_KEEPALIVE_MAX_MISSED = 5

function keepalivePacket(procedure: number): Uint8Array {
  return encodeEmptyPacket({
    program: KEEPALIVE_PROGRAM,
    version: KEEPALIVE_PROTOCOL_VERSION,
    procedure,
    type: MessageType.MESSAGE,
    serial: 0,
    status: MessageStatus.OK,
  })
}

/** The PING packet (28 bytes). */
export const PING_PACKET = keepalivePacket(KeepaliveProcedure.PING)
/** The PONG packet (28 bytes). */
export const PONG_PACKET = keepalivePacket(KeepaliveProcedure.PONG)

/** Answers pings and watches the peer of one RpcClient. Dispose to stop. */
export class Keepalive implements Disposable {
  /** Pings sent since the last packet from the peer. */
  missed = 0
  private readonly subs: Disposable[] = []
  private timer: ReturnType<typeof setInterval> | undefined
  private lastSeen: number
  private readonly maxMissed: number
  private readonly intervalMs: number
  private negotiate: (() => Promise<unknown>) | undefined

  /**
   * @param negotiate asks the daemon to ping us (CONNECT_SUPPORTS_FEATURE 10); run once,
   *   at the first check, when our own pings are on
   */
  constructor(
    private readonly client: RpcClient,
    options: KeepaliveOptions = {},
    negotiate?: () => Promise<unknown>,
  ) {
    this.negotiate = negotiate
    this.intervalMs = options.intervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS
    this.maxMissed = options.maxMissed ?? DEFAULT_KEEPALIVE_MAX_MISSED
    this.lastSeen = client.packetsReceived
    this.subs.push(
      client.onMessage(KEEPALIVE_PROGRAM, KeepaliveProcedure.PING, () => client.send(PONG_PACKET)),
      client.onClose(() => this.dispose()),
    )
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => this.tick(), this.intervalMs)
      // The timer alone must not keep the process alive.
      this.timer.unref()
    }
  }

  /** Whether our own pings are running. */
  get active(): boolean {
    return this.timer !== undefined
  }

  /** One check: reset on traffic, else ping, else give up. */
  private tick(): void {
    const negotiate = this.negotiate
    this.negotiate = undefined
    // A lost connection rejects it; our pings notice a silent daemon meanwhile.
    negotiate?.().catch(() => {})
    const seen = this.client.packetsReceived
    if (seen !== this.lastSeen) {
      this.lastSeen = seen
      this.missed = 0
      return
    }
    if (this.missed >= this.maxMissed) {
      const silentMs = (this.missed + 1) * this.intervalMs
      this.dispose()
      this.client.fail(
        new ConnectionLostError(
          `keepalive: no answer to ${this.missed} pings (silent for about ${silentMs} ms)`,
        ),
      )
      return
    }
    this.missed++
    this.client.send(PING_PACKET)
  }

  /** Stops pinging and answering. */
  dispose(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    for (const s of this.subs.splice(0)) s.dispose()
  }
}
