import type { Duplex } from 'node:stream'
import type { ChannelPeer } from './channel-peer'

/** A turn's first chunk is sent at once when it is shorter than this. */
const SEND_AT_ONCE = 4 * 1024

/** Flow-control thresholds of a bridge, in unacknowledged bytes. */
export interface BridgeOptions {
  /** Stop reading the source at this many bytes the page has not consumed. Default 512 KiB. */
  highWater?: number
  /** Read again once the page is down to this many. Default 128 KiB. */
  lowWater?: number
  /** Describes how the source ended, for the page (e.g. "the guest closed the console"). */
  endReason?: string
}

/** A running bridge: counters for tests and benchmarks. */
export interface Bridge {
  /** Bytes sent to the page. */
  readonly sent: number
  /** Bytes the page has not acknowledged yet. */
  readonly unacked: number
  /** Whether the source is paused waiting for acks. */
  readonly paused: boolean
  /** Times the source was paused. */
  readonly pauses: number
}

/**
 * Connects a byte source (a console stream, a VNC socket) to the page's channel end, both
 * ways. The page acknowledges what it consumed; above `highWater` unacknowledged bytes the
 * source is paused, so a slow page holds the guest back instead of growing a queue in main.
 * Either end closing closes the other.
 */
export function bridgeStream(
  peer: ChannelPeer,
  source: Duplex,
  options: BridgeOptions = {},
): Bridge {
  const highWater = options.highWater ?? 512 * 1024
  const lowWater = options.lowWater ?? 128 * 1024
  const state = { sent: 0, unacked: 0, paused: false, pauses: 0 }

  // Chunks read in one turn of the event loop (a socket gives at most 64 KiB a read, and a
  // VNC framebuffer update is often a MiB; a console stream's packets come a few at a time)
  // go to the page as one message, sent in the same turn's check phase: far fewer messages
  // for the page to take, no wait for another turn. The turn's first chunk goes at once
  // when it is small (a keystroke's echo, a small screen update).
  let gathered: Buffer[] = []
  let turnStarted = false
  const endTurn = (): void => {
    turnStarted = false
    const chunks = gathered
    if (chunks.length === 0) return
    gathered = []
    peer.send(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
  }
  source.on('data', (chunk: Buffer) => {
    if (turnStarted) gathered.push(chunk)
    else {
      turnStarted = true
      setImmediate(endTurn)
      if (chunk.byteLength < SEND_AT_ONCE) peer.send(chunk)
      else gathered.push(chunk)
    }
    state.sent += chunk.byteLength
    state.unacked += chunk.byteLength
    if (!state.paused && state.unacked >= highWater) {
      state.paused = true
      state.pauses++
      source.pause()
    }
  })
  const acks = peer.onAck((bytes) => {
    state.unacked = Math.max(0, state.unacked - bytes)
    if (state.paused && state.unacked <= lowWater) {
      state.paused = false
      source.resume()
    }
  })
  const input = peer.onData((data) => {
    if (!source.destroyed && source.writable) source.write(data)
  })
  source.once('end', () => {
    endTurn()
    peer.close(options.endReason ?? 'ended')
  })
  source.once('error', (err: Error) => peer.close(err.message, true))
  source.once('close', () => {
    endTurn()
    peer.close(options.endReason ?? 'closed')
  })
  peer.onClose(() => {
    acks.dispose()
    input.dispose()
    if (!source.destroyed) source.destroy()
  })
  return state
}
