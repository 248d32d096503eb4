import type { Duplex } from 'node:stream'
import type { Disposable } from '@common/lifecycle'
import { bridgeStream, type Bridge, type ChannelBroker } from '../channels'

/** How long the page has to open a VNC channel before the connection is dropped. */
const CLAIM_TTL_MS = 30_000
/**
 * The flow-control window of a VNC bridge: wider than a terminal's, because one framebuffer
 * update can be megabytes (a Raw full-screen update of a 720x400 text screen is 1.1 MiB, of
 * a 1080p desktop 8 MiB) and noVNC consumes it at once, so the socket should not stop in the
 * middle of one every time. 4 MiB still bounds what main holds per console.
 */
const VNC_HIGH_WATER = 4 * 1024 * 1024
const VNC_LOW_WATER = 1024 * 1024

/**
 * Connected VNC sockets waiting for the page, and the bridges that carry them. The socket
 * is opened before the ticket is handed out, so a refused connection is the call's error;
 * one the page never claims is closed when its ticket expires. Tracks everything it holds,
 * so tests can see that nothing is left behind and the app can close it all on exit.
 */
export class VncChannels implements Disposable {
  private readonly waiting = new Set<Duplex>()
  private readonly bridged = new Set<Duplex>()
  private readonly bridges = new Set<Bridge>()

  constructor(
    private readonly broker: ChannelBroker,
    private readonly ttlMs = CLAIM_TTL_MS,
  ) {}

  /** Offers a connected socket to the page; returns the channel's one-time ticket. */
  offer(socket: Duplex, endpoint: string): string {
    this.waiting.add(socket)
    // An error must never go unhandled (it would crash main); the bridge reports it.
    const early = (): void => {}
    socket.on('error', early)
    socket.once('close', () => {
      this.waiting.delete(socket)
      this.bridged.delete(socket)
    })
    const expiry = setTimeout(() => {
      if (this.waiting.delete(socket)) socket.destroy()
    }, this.ttlMs + 1000)
    expiry.unref?.()
    return this.broker.offer((peer) => {
      clearTimeout(expiry)
      this.waiting.delete(socket)
      if (socket.destroyed) {
        peer.close(`The VNC server at ${endpoint} closed the connection.`, true)
        return
      }
      this.bridged.add(socket)
      const bridge = bridgeStream(peer, socket, {
        endReason: `The VNC server at ${endpoint} closed the connection.`,
        highWater: VNC_HIGH_WATER,
        lowWater: VNC_LOW_WATER,
      })
      this.bridges.add(bridge)
      peer.onClose(() => this.bridges.delete(bridge))
    }, this.ttlMs)
  }

  /** Sockets held: waiting for the page, and bridged. */
  get counts(): { waiting: number; bridged: number } {
    return { waiting: this.waiting.size, bridged: this.bridged.size }
  }

  /** The running bridges (benchmarks read their counters). */
  get activeBridges(): readonly Bridge[] {
    return [...this.bridges]
  }

  dispose(): void {
    for (const socket of [...this.waiting, ...this.bridged]) socket.destroy()
    this.waiting.clear()
    this.bridged.clear()
    this.bridges.clear()
  }
}
