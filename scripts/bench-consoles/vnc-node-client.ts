/**
 * A Node WebSocket client for the VNC bench, in a worker thread of its own: a client on the
 * bridge's event loop would make the two take turns (the app never does that: main and the
 * page are separate processes). websockify's client runs in a worker too, so both sides are
 * measured alike.
 *
 * Messages in: { open: { url, origin, acks } }, { roundTrips: n }, { raw: ms }, { close }.
 * Each gets one reply: { ok: result } or { error: message }.
 */
import { WebSocket } from 'ws'
import { RfbProbe } from './rfb-probe'
import { serveRequests } from './ts-worker'

/** What the bench thread asks for. */
export type ClientRequest =
  | { open: { url: string; origin: string; acks: boolean } }
  | { roundTrips: number }
  | { raw: number }
  | { close: true }

let socket: WebSocket | undefined
let probe: RfbProbe | undefined

async function open(url: string, origin: string, acks: boolean): Promise<void> {
  const ws = new WebSocket(url, ['binary'], { headers: { origin } })
  // Listening from the start: the server speaks first, maybe with the handshake's last packet.
  const p = new RfbProbe(
    (b) => ws.send(b),
    () => performance.now(),
  )
  let unacked = 0
  ws.on('message', (d: Buffer) => {
    p.receive(d)
    unacked += d.length
    // Our channel wants acknowledgements, as the page's ByteSocket sends them; websockify
    // would pass them on to the VNC server.
    if (acks && unacked >= 32 * 1024) {
      ws.send(JSON.stringify({ type: 'ack', bytes: unacked }))
      unacked = 0
    }
  })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  await p.ready
  socket = ws
  probe = p
}

async function handle(request: ClientRequest): Promise<unknown> {
  if ('open' in request) return open(request.open.url, request.open.origin, request.open.acks)
  if ('roundTrips' in request) {
    const times: number[] = []
    for (let i = 0; i < request.roundTrips; i++) times.push(await probe!.roundTrip())
    return times
  }
  if ('raw' in request) return probe!.fullFrames(request.raw)
  socket?.close()
  return undefined
}

void serveRequests<ClientRequest>(handle)
