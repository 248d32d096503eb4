import { randomBytes } from 'node:crypto'
import type { Disposable } from '@common/lifecycle'
import type { ChannelPeer } from './channel-peer'

/** Wires a page's channel end to a source; called once when the page opens the channel. */
export type ChannelHandler = (peer: ChannelPeer) => void

/** How long a ticket stays valid when the page does not open it. */
const DEFAULT_TICKET_TTL_MS = 30_000

interface Offer {
  handler: ChannelHandler
  timer: ReturnType<typeof setTimeout>
}

/**
 * Hands out one-time tickets for byte channels. A service offers a handler and returns the
 * ticket to the page over IPC (so only an authenticated page learns it); the entry point
 * (web server or Electron) claims it when the page connects. Unclaimed tickets expire.
 */
export class ChannelBroker implements Disposable {
  private readonly offers = new Map<string, Offer>()

  /** Registers a handler and returns the ticket that opens it, once. */
  offer(handler: ChannelHandler, ttlMs = DEFAULT_TICKET_TTL_MS): string {
    const ticket = randomBytes(32).toString('base64url')
    const timer = setTimeout(() => this.offers.delete(ticket), ttlMs)
    timer.unref?.()
    this.offers.set(ticket, { handler, timer })
    return ticket
  }

  /** Takes a ticket's handler (it cannot be claimed again); undefined if unknown or expired. */
  claim(ticket: string): ChannelHandler | undefined {
    const offer = this.offers.get(ticket)
    if (!offer) return undefined
    clearTimeout(offer.timer)
    this.offers.delete(ticket)
    return offer.handler
  }

  /** Tickets offered and not yet claimed or expired. */
  get pending(): number {
    return this.offers.size
  }

  dispose(): void {
    for (const offer of this.offers.values()) clearTimeout(offer.timer)
    this.offers.clear()
  }
}
