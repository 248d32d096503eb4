/**
 * Byte channels in web mode: a real web server, a real WebSocket client, and a Duplex
 * (a PassThrough pair) standing in for the console stream or VNC socket.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Duplex, PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { ServiceRegistry } from '@common/ipc/channel-server'
import { ChannelBroker, bridgeStream, type Bridge } from '../services/channels'
import { startWebServer, type WebServer } from './server'

let dir: string
let server: WebServer
const broker = new ChannelBroker()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-channels-'))
  server = await startWebServer({
    registry: new ServiceRegistry(),
    rendererDir: dir,
    channels: broker,
  })
})
afterAll(async () => {
  await server.close()
  broker.dispose()
  await rm(dir, { recursive: true, force: true })
})

/** A duplex whose writes land in `written` and whose readable side we push into. */
function fakeSource() {
  const toPage = new PassThrough()
  const written: Buffer[] = []
  const source = Duplex.from({
    readable: toPage,
    writable: new PassThrough().on('data', (c: Buffer) => written.push(c)),
  })
  return { source, toPage, written }
}

function open(ticket: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/channel/${ticket}`, {
    headers: { origin: `http://127.0.0.1:${server.port}`, ...headers },
  })
  return new Promise<{ ws: WebSocket; opened: boolean }>((resolve) => {
    ws.once('open', () => resolve({ ws, opened: true }))
    ws.once('error', () => resolve({ ws, opened: false }))
  })
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('byte channels', () => {
  it('carries bytes both ways and closes the source when the page closes', async () => {
    const { source, toPage, written } = fakeSource()
    const ticket = broker.offer((peer) => void bridgeStream(peer, source))
    const { ws, opened } = await open(ticket)
    expect(opened).toBe(true)
    const got: Buffer[] = []
    ws.on('message', (data: Buffer) => got.push(data))
    toPage.write(Buffer.from('guest says hi'))
    ws.send(Buffer.from('ls /\n'))
    await until(() => Buffer.concat(got).toString() === 'guest says hi')
    await until(() => Buffer.concat(written).toString() === 'ls /\n')
    ws.close()
    await until(() => source.destroyed)
  })

  it('tells the page why the source ended', async () => {
    const { source, toPage } = fakeSource()
    const ticket = broker.offer(
      (peer) => void bridgeStream(peer, source, { endReason: 'guest closed it' }),
    )
    const { ws } = await open(ticket)
    const closed = new Promise<[number, string]>((resolve) =>
      ws.once('close', (code, reason) => resolve([code, reason.toString()])),
    )
    toPage.end()
    expect(await closed).toEqual([4000, 'guest closed it'])
  })

  it('pauses the source above the high watermark until the page acknowledges', async () => {
    const { source, toPage } = fakeSource()
    let bridge: Bridge | undefined
    const ticket = broker.offer((peer) => {
      bridge = bridgeStream(peer, source, { highWater: 64 * 1024, lowWater: 16 * 1024 })
    })
    const { ws } = await open(ticket)
    let received = 0
    ws.on('message', (data: Buffer) => (received += data.byteLength))
    for (let i = 0; i < 16; i++) toPage.write(Buffer.alloc(16 * 1024, i))
    await until(() => bridge?.paused === true)
    const sentWhilePaused = bridge!.sent
    expect(sentWhilePaused).toBeLessThan(16 * 16 * 1024)
    await new Promise((r) => setTimeout(r, 100))
    expect(bridge!.sent).toBe(sentWhilePaused) // nothing more without acks
    // Acknowledge as a terminal would, until everything arrived.
    let acked = 0
    for (let i = 0; i < 100 && received < 16 * 16 * 1024; i++) {
      if (received > acked) {
        ws.send(JSON.stringify({ type: 'ack', bytes: received - acked }))
        acked = received
      }
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(received).toBe(16 * 16 * 1024)
    expect(bridge!.pauses).toBeGreaterThanOrEqual(1)
    ws.close()
  })

  it('sends what is read in one turn as one message, a small first chunk at once', async () => {
    const { source, toPage } = fakeSource()
    const ticket = broker.offer((peer) => void bridgeStream(peer, source))
    const { ws } = await open(ticket)
    const got: Buffer[] = []
    ws.on('message', (data: Buffer) => got.push(data))
    // A screen update as a socket gives it: 64 KiB reads, one after another (below the
    // default high watermark: this page sends no acks).
    const chunks = Array.from({ length: 6 }, (_, i) => Buffer.alloc(64 * 1024, i))
    for (const chunk of chunks) source.push(chunk)
    await until(() => got.length === 1)
    expect(got[0]!.equals(Buffer.concat(chunks))).toBe(true)
    // A keystroke's echo: on its own, without waiting for the turn to end.
    toPage.write(Buffer.from('a'))
    await until(() => got.length === 2)
    expect(got[1]!.toString()).toBe('a')
    await new Promise((r) => setTimeout(r, 50))
    expect(got).toHaveLength(2)
    // Console packets read together: the first at once, the rest of the turn as one.
    for (const text of ['b', 'c', 'd']) source.push(Buffer.from(text))
    await until(() => got.length === 4)
    expect(got.slice(2).map(String)).toEqual(['b', 'cd'])
    ws.close()
  })

  it('ignores malformed control messages', async () => {
    const { source, toPage } = fakeSource()
    let bridge: Bridge | undefined
    const ticket = broker.offer((peer) => {
      bridge = bridgeStream(peer, source)
    })
    const { ws } = await open(ticket)
    for (const bad of [
      'not json',
      '{"type":"ack","bytes":-5}',
      '{"type":"ack","bytes":"9"}',
      '[]',
    ]) {
      ws.send(bad)
    }
    toPage.write(Buffer.alloc(10))
    await until(() => bridge?.sent === 10)
    expect(bridge!.unacked).toBe(10)
    ws.close()
  })

  it('opens a ticket once, refuses unknown tickets, foreign origins and hosts', async () => {
    const { source } = fakeSource()
    const ticket = broker.offer((peer) => void bridgeStream(peer, source))
    expect((await open(ticket, { origin: 'http://evil.example' })).opened).toBe(false)
    expect((await open(ticket, { host: 'evil.example' })).opened).toBe(false)
    expect((await open('x'.repeat(43))).opened).toBe(false)
    const first = await open(ticket) // the refusals above did not use it up
    expect(first.opened).toBe(true)
    expect((await open(ticket)).opened).toBe(false)
    first.ws.close()
  })

  it('lets unclaimed tickets expire', async () => {
    const ticket = broker.offer(() => {}, 20)
    expect(broker.pending).toBeGreaterThanOrEqual(1)
    await new Promise((r) => setTimeout(r, 60))
    expect(broker.claim(ticket)).toBeUndefined()
  })
})
