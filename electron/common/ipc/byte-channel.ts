/**
 * Byte channels: a raw byte stream (a VNC socket, a serial console) between the main process
 * and the page, on a pipe of its own so bulk data never queues behind IPC calls. A service
 * method returns a one-time ticket; the page opens the channel with it:
 * - web mode: a WebSocket to `/channel/<ticket>` (binary frames carry data, text frames carry
 *   control messages as JSON);
 * - Electron: a MessagePort handed over by the preload (Uint8Array messages carry data, plain
 *   objects carry control messages).
 *
 * Flow control: the page acknowledges the bytes it has consumed (for a terminal, written to the
 * screen); main stops reading the source while too many are unacknowledged.
 */
import { z } from 'zod'

/** Where web mode serves byte channels: `/channel/<ticket>`. */
export const CHANNEL_PATH_PREFIX = '/channel/'

/** A channel ticket: 256 random bits, base64url. */
export const ChannelTicket = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a channel ticket')

/** Control messages from the page to main. */
export const ChannelControl = z.discriminatedUnion('type', [
  /** The page consumed this many more bytes. */
  z.object({
    type: z.literal('ack'),
    bytes: z
      .number()
      .int()
      .positive()
      .max(2 ** 31),
  }),
])
/** A control message from the page to main. */
export type ChannelControl = z.infer<typeof ChannelControl>

/** Close codes both ends use (WebSocket private range). */
export const ChannelCloseCode = {
  /** The source ended normally (guest closed the console, VM shut down). */
  ended: 4000,
  /** The ticket was unknown, used or expired. */
  badTicket: 4001,
  /** The source could not be opened or failed; the reason says why. */
  failed: 4002,
} as const
