/**
 * Serial consoles against the system daemon, end to end in main: the consoles service opens
 * the console of a transient copy of the tiny Linux guest, a real web server serves the
 * channel, and a real WebSocket client plays the page (acknowledging what it consumed, as
 * the terminal does). A copy, not virtdeck-linux itself: these tests take the console over
 * and shut the guest down, which would disturb other tests using the shared guest.
 *
 * The 5 MiB transfer runs at the guest UART's speed under TCG (~110 KB/s, so most of a
 * minute); VIRTDECK_CONSOLE_BYTES shortens it for local runs.
 */
import { EventEmitter } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { formatUuid, type Connection, type NonnullDomain } from '@native'
import { CONSOLE_BUSY, SerialCloseReason } from '@common/contract/consoles'
import type { ServiceImpl } from '@common/contract/define'
import type { consoles } from '@common/contract/consoles'
import { ServiceRegistry } from '@common/ipc/channel-server'
import {
  ConsoleReader,
  copiedDomainXml,
  destroyQuietly,
  guestFacts,
  PATTERN_DONE,
  patternReceived,
  patternTransferCommand,
  streamGuestXml,
  uniqueName,
} from '../../../../native/test/integration/guests'
import { startWebServer, type WebServer } from '../../web/server'
import { ChannelBroker } from '../channels'
import { ConnectionManager } from '../hosts/connection-manager'
import { libvirtConnector } from '../hosts/connector'
import { createConsolesService } from './consoles-service'
import { ConsoleBusyError, SerialConsoles } from './serial-console'

const facts = guestFacts()
const CONSOLE_BYTES = Number(process.env.VIRTDECK_CONSOLE_BYTES ?? 5 * 1024 * 1024)

let dir: string
let server: WebServer
let manager: ConnectionManager
let conn: Connection
const broker = new ChannelBroker()
const serial = new SerialConsoles(broker)
let service: ServiceImpl<typeof consoles.spec>
let guest: NonnullDomain | null = null
let uuid: string
const signal = () => AbortSignal.timeout(20_000)

/** The page's side of a console channel, as a WebSocket client that acknowledges. */
interface PageEnd {
  ws: WebSocket
  out: ConsoleReader
  /** Bytes received. */
  received(): number
  /** The close code and reason, once closed. */
  closed: Promise<{ code: number; reason: string }>
  type(text: string): void
}

/**
 * Opens a ticket's channel like the page does. Acknowledges received bytes every `ackEveryMs`
 * (a terminal acks once it has written them; a slow one late).
 */
async function openPage(ticket: string, ackEveryMs = 20): Promise<PageEnd> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/channel/${ticket}`, {
    headers: { origin: `http://127.0.0.1:${server.port}` },
  })
  const data = new EventEmitter()
  const out = new ConsoleReader(data)
  let received = 0
  let unacked = 0
  const timer = setInterval(() => {
    if (unacked > 0 && ws.readyState === ws.OPEN) {
      ws.send(JSON.stringify({ type: 'ack', bytes: unacked }))
      unacked = 0
    }
  }, ackEveryMs)
  ws.on('message', (chunk: Buffer, isBinary) => {
    if (!isBinary) return
    received += chunk.byteLength
    unacked += chunk.byteLength
    data.emit('data', chunk)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => {
      clearInterval(timer)
      resolve({ code, reason: reason.toString() })
    }),
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return {
    ws,
    out,
    received: () => received,
    closed,
    type: (text) => ws.send(Buffer.from(text, 'utf8')),
  }
}

/** Opens the guest's console through the service and its channel like the page. */
async function openConsolePage(force = true, ackEveryMs?: number): Promise<PageEnd> {
  const { ticket } = await service.openSerial(
    { hostId: 'sys', uuid, device: 'serial0', force },
    { signal: signal() },
  )
  return openPage(ticket, ackEveryMs)
}

/** Runs `echo` of a fresh marker in the guest and waits for its answer. */
async function roundTrip(page: PageEnd, marker: string): Promise<void> {
  page.type(`echo ${marker}-"ok"\n`)
  await page.out.waitFor(`${marker}-ok\n`, 10_000)
}

const until = async (check: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

/** Counts of the process's active handles and timers, by kind. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1
  return counts
}

async function connectHost(id: string): Promise<Connection> {
  manager.add(id, 'qemu:///system')
  return manager.whenConnected(id)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-consoles-'))
  server = await startWebServer({
    registry: new ServiceRegistry(),
    rendererDir: dir,
    channels: broker,
  })
  manager = new ConnectionManager(libvirtConnector)
  service = createConsolesService(manager, serial)
  conn = await connectHost('sys')
  const xml = await copiedDomainXml(conn, facts.linux, uniqueName('vdk-serial'))
  guest = (
    await conn.remote.domainCreateXml({ xml_desc: streamGuestXml(xml, 'org.virtdeck.c'), flags: 0 })
  ).dom
  uuid = formatUuid(guest.uuid)
  const page = await openConsolePage()
  await page.out.waitFor(facts.readyLine, 60_000)
  // Raw output (no \n -> \r\n) and no echo of what we type, for byte-exact checks.
  page.type('stty -echo -opost\n')
  await roundTrip(page, 'VDK-SET')
  page.ws.close()
  await until(() => serial.openCount === 0)
})

afterAll(async () => {
  serial.dispose()
  await destroyQuietly(conn, guest)
  manager?.dispose()
  await server?.close()
  broker.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('serial consoles through the service and a real web server', () => {
  it('lists the guest’s devices and carries UTF-8 both ways', async () => {
    const devices = await service.serialDevices({ hostId: 'sys', uuid }, { signal: signal() })
    expect(devices).toEqual([
      expect.objectContaining({ kind: 'serial', alias: 'serial0', type: 'pty', openable: true }),
    ])
    const page = await openConsolePage()
    page.type('echo 中文-"好"\n')
    await page.out.waitFor(Buffer.from('中文-好\n').toString('latin1'), 10_000)
    page.ws.close()
    await until(() => serial.openCount === 0)
  })

  it('refuses a busy console without force, and takes it over with force', async () => {
    const first = await openConsolePage()
    await roundTrip(first, 'first')
    const busy = service.openSerial(
      { hostId: 'sys', uuid, device: 'serial0' },
      { signal: signal() },
    )
    await expect(busy).rejects.toBeInstanceOf(ConsoleBusyError)
    await expect(busy).rejects.toMatchObject({ code: CONSOLE_BUSY })

    const second = await openConsolePage(true)
    // libvirt aborts the first client's stream: its page learns why, as a failure.
    const closed = await first.closed
    expect(closed.code).toBe(4002)
    expect(closed.reason).toMatch(/I\/O failure|console/i)
    await roundTrip(second, 'second')
    second.ws.close()
    await until(() => serial.openCount === 0)
  })

  it('leaves no socket, stream, listener or ticket behind after 50 open/close cycles', async () => {
    const before = resources()
    const streams = conn.rpc.streamCount
    const pending = broker.pending
    const listeners = conn.events.subscribers
    for (let i = 0; i < 50; i++) {
      const page = await openConsolePage(i % 2 === 0)
      if (i % 10 === 0) await roundTrip(page, `cycle${i}`)
      page.ws.close()
      await page.closed
      await until(() => serial.openCount === 0)
    }
    // Tickets never opened: revoked, and their streams closed at the daemon.
    const shortLived = new SerialConsoles(broker, { ticketTtlMs: 200 })
    // Each takes the console from the one before, whose stream then fails before any page
    // came: that path must end cleanly too.
    const unclaimed: string[] = []
    for (let i = 0; i < 3; i++) {
      unclaimed.push(await shortLived.open(conn, { uuid, device: 'serial0', force: true }))
    }
    await until(() => shortLived.openCount === 0)
    for (const ticket of unclaimed) expect(broker.claim(ticket)).toBeUndefined()
    // Nobody holds the console now, so a polite open succeeds.
    const polite = await openConsolePage(false)
    await roundTrip(polite, 'after-cycles')
    polite.ws.close()
    await until(() => serial.openCount === 0)

    await until(() => conn.rpc.streamCount === streams)
    expect(broker.pending).toBe(pending)
    expect(conn.events.subscribers).toBe(listeners)
    expect(conn.rpc.pendingCount).toBe(0)
    await new Promise((r) => setTimeout(r, 100))
    // Per kind never more than before (an earlier test's timer may have ended meanwhile).
    const after = resources()
    for (const [kind, count] of Object.entries(after)) {
      expect(count, kind).toBeLessThanOrEqual(before[kind] ?? 0)
    }
  }, 120_000)

  it(
    `carries ${CONSOLE_BYTES} bytes of guest output complete and in order, held back by acks`,
    async () => {
      // A small window and a page that acknowledges only every 250 ms: the bridge must pause.
      const slow = new SerialConsoles(broker, { highWater: 32 * 1024, lowWater: 8 * 1024 })
      try {
        const ticket = await slow.open(conn, { uuid, device: 'serial0', force: true })
        const page = await openPage(ticket, 250)
        page.out.clear()
        const started = performance.now()
        page.type(patternTransferCommand(CONSOLE_BYTES))
        const m = (await page.out.waitFor(
          PATTERN_DONE,
          30_000 + CONSOLE_BYTES / 20,
        )) as RegExpMatchArray
        const { data, md5 } = patternReceived(page.out.all)
        expect(data.byteLength).toBe(CONSOLE_BYTES)
        expect(md5).toBe(m[1])
        const [bridge] = slow.bridges
        expect(bridge!.pauses).toBeGreaterThan(0)
        const seconds = (performance.now() - started) / 1000
        console.log(
          `serial bridge: ${CONSOLE_BYTES} bytes in ${seconds.toFixed(1)} s, ` +
            `${bridge!.pauses} pauses`,
        )
        page.ws.close()
        await until(() => slow.openCount === 0)
      } finally {
        slow.dispose()
      }
    },
    40_000 + CONSOLE_BYTES / 20,
  )

  it('closes the channel with connection-lost when the host connection drops', async () => {
    const other = await connectHost('lost')
    const ticket = await serial.open(other, { uuid, device: 'serial0', force: true })
    const page = await openPage(ticket)
    await roundTrip(page, 'before-loss')
    other.dispose() // the socket drops at once
    expect(await page.closed).toEqual({ code: 4002, reason: SerialCloseReason.connectionLost })
    await until(() => serial.openCount === 0)
    await manager.remove('lost')
  })

  it('closes the channel with vm-closed when the VM goes away, and says so to late pages', async () => {
    const page = await openConsolePage()
    await roundTrip(page, 'last')
    const { ticket: late } = await service.openSerial(
      { hostId: 'sys', uuid, device: 'serial0', force: true },
      { signal: signal() },
    )
    expect((await page.closed).code).toBe(4002) // taken over by `late`
    await conn.remote.domainDestroy({ dom: guest! })
    guest = null
    await new Promise((r) => setTimeout(r, 300))
    // The page opens its ticket after the VM has gone: it learns why at once.
    const latePage = await openPage(late)
    expect(await latePage.closed).toEqual({ code: 4000, reason: SerialCloseReason.vmClosed })
    await until(() => serial.openCount === 0)
    await expect(
      service.openSerial({ hostId: 'sys', uuid, force: true }, { signal: signal() }),
    ).rejects.toMatchObject({ name: 'VirtError' })
  })
})
