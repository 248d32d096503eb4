/**
 * The VNC bench page, the same bundle on both sides: served by our web server (the channel is
 * the app's ByteSocket, opened by ticket) and by websockify's own web server (the channel is
 * a WebSocket to websockify on the same origin). It runs noVNC's RFB on a counting wrapper of
 * the channel, and the RfbProbe (kept open) for round trips and Raw full frames.
 */
import RFB from '@novnc/novnc'
import { openByteSocket } from '../../renderer/src/ipc/byte-socket'
import { RfbProbe, type FullFrames } from './rfb-probe'

/** Where the page connects: a ticket of ours, or websockify on this page's origin. */
export type Target = { ticket: string } | { websockify: true }

/** What a noVNC run measured. */
export interface NoVncRun {
  bytes: number
  /** FramebufferUpdateRequests noVNC sent after finishing a frame. */
  frames: number
  seconds: number
  /** Request sent → first byte after it, ms. */
  latencies: number[]
}

interface Channel {
  binaryType: string
  readonly readyState: number
  readonly protocol: string
  onopen: ((e: unknown) => void) | null
  onmessage: ((e: { data: ArrayBuffer }) => void) | null
  onclose: ((e: unknown) => void) | null
  onerror: ((e: unknown) => void) | null
  send(data: Uint8Array): void
  close(): void
}

function open(target: Target): Channel {
  if ('ticket' in target) return openByteSocket(target.ticket) as unknown as Channel
  const ws = new WebSocket(`ws://${location.host}/`, ['binary'])
  ws.binaryType = 'arraybuffer'
  return ws as unknown as Channel
}

/**
 * A channel that counts what arrives and notes when noVNC asks for the next frame (a
 * 10-byte FramebufferUpdateRequest, message type 3). noVNC checks a raw channel for these
 * members on the object or its prototype.
 */
class CountingChannel implements Channel {
  binaryType = 'arraybuffer'
  onopen: Channel['onopen'] = null
  onmessage: Channel['onmessage'] = null
  onclose: Channel['onclose'] = null
  onerror: Channel['onerror'] = null
  bytes = 0
  frames = 0
  latencies: number[] = []
  counting = false
  private sentAt: number | undefined

  constructor(private readonly inner: Channel) {
    inner.onopen = (e) => this.onopen?.(e)
    inner.onclose = (e) => this.onclose?.(e)
    inner.onerror = (e) => this.onerror?.(e)
    inner.onmessage = (e) => {
      if (this.counting) {
        this.bytes += e.data.byteLength
        if (this.sentAt !== undefined) this.latencies.push(performance.now() - this.sentAt)
      }
      this.sentAt = undefined
      this.onmessage?.(e)
    }
  }

  get readyState(): number {
    return this.inner.readyState
  }

  get protocol(): string {
    return this.inner.protocol
  }

  send(data: Uint8Array): void {
    if (this.counting && data.byteLength === 10 && data[0] === 3) {
      this.frames++
      this.sentAt = performance.now()
    }
    this.inner.send(data)
  }

  close(): void {
    this.inner.close()
  }
}

const screen = () => document.getElementById('screen')!

/** noVNC on the target: connects, lets `warmupMs` pass, then counts for `ms`, disconnects. */
async function novnc(target: Target, ms: number, warmupMs: number): Promise<NoVncRun> {
  const channel = new CountingChannel(open(target))
  const rfb = new RFB(screen(), channel as unknown as WebSocket, { shared: true })
  rfb.scaleViewport = true
  await new Promise<void>((resolve, reject) => {
    rfb.addEventListener('connect', () => resolve())
    rfb.addEventListener('disconnect', () => reject(new Error('noVNC disconnected')))
  })
  await new Promise((r) => setTimeout(r, warmupMs))
  channel.counting = true
  const start = performance.now()
  await new Promise((r) => setTimeout(r, ms))
  channel.counting = false
  const seconds = (performance.now() - start) / 1000
  const closed = new Promise<void>((resolve) => rfb.addEventListener('disconnect', () => resolve()))
  rfb.disconnect()
  await closed
  return { bytes: channel.bytes, frames: channel.frames, seconds, latencies: channel.latencies }
}

let probe: { rfb: RfbProbe; channel: Channel } | undefined

/** Connects the probe client (it stays open between measurements, receiving only replies). */
async function probeOpen(target: Target): Promise<void> {
  const channel = open(target)
  const rfb = new RfbProbe(
    (bytes) => channel.send(bytes),
    () => performance.now(),
  )
  channel.onmessage = (e) => rfb.receive(new Uint8Array(e.data))
  await new Promise<void>((resolve, reject) => {
    channel.onopen = () => resolve()
    channel.onerror = () => reject(new Error('the channel failed'))
  })
  await rfb.ready
  probe = { rfb, channel }
}

/** `count` immediate-reply round trips, ms each. */
async function probeRoundTrips(count: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) times.push(await probe!.rfb.roundTrip())
  return times
}

/** Raw full frames for `ms`. */
function probeRaw(ms: number): Promise<FullFrames> {
  return probe!.rfb.fullFrames(ms)
}

function probeClose(): void {
  probe?.channel.close()
  probe = undefined
}

declare global {
  interface Window {
    vncBench: {
      novnc: typeof novnc
      probeOpen: typeof probeOpen
      probeRoundTrips: typeof probeRoundTrips
      probeRaw: typeof probeRaw
      probeClose: typeof probeClose
    }
  }
}

window.vncBench = { novnc, probeOpen, probeRoundTrips, probeRaw, probeClose }
