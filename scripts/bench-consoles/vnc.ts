/**
 * The VNC half: a transient copy of the tiny Linux guest whose VGA console scrolls without
 * pause (a shell loop prints /proc/interrupts to tty1), so every screen refresh changes the
 * whole screen. Ours is the app's path: the graphics service opens the VNC socket and a
 * ticket, a real web server carries the channel (both in a worker thread of their own, as
 * main is a process of its own in the app: vnc-bridge-worker.ts), and the page runs noVNC
 * on the app's ByteSocket. The anchor is websockify (Debian's package) on the same VNC server, serving the
 * same page itself, so noVNC runs on a plain WebSocket from the same origin. The sides take
 * turns in short slices (2 s of noVNC, 30 round trips, 2 s of Raw frames), so a change in the
 * host's load hits both alike.
 *
 * - noVNC frames/s and bytes/s: noVNC with its own encodings for BENCH_VNC_SECONDS; a frame
 *   is counted when noVNC asks for the next one (it does after decoding each update).
 * - update request → reply: from each of those requests to the first byte after it, median.
 *   QEMU answers at its next refresh tick (30 ms while the screen changes), so this includes
 *   up to one tick of waiting on both sides.
 * - round trip: SetEncodings with QEMU's extended key event pseudo-encoding, which QEMU
 *   acknowledges at once: the transport's own latency, in the page (Chromium's WebSocket
 *   included) and from a Node WebSocket client (the bridge or websockify alone). The same
 *   probe over plain TCP from Node gives the floor; the figures minus it are the added latency.
 * - Raw full frames: whole-screen non-incremental requests in Raw encoding (1.1 MiB each),
 *   one after another, in the page and from a Node client: how many bytes/s each path
 *   carries at full size.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { connect as netConnect, createServer } from 'node:net'
import { loadavg } from 'node:os'
import type { Page } from 'playwright-core'
import {
  connect,
  formatUuid,
  getDomainXml,
  openConsole,
  type Connection,
  type NonnullDomain,
} from '@native'
import { parseGraphics } from '../../electron/main/services/graphics/graphics-xml'
import { vncTarget } from '../../electron/main/services/graphics/vnc-endpoint'
import { median } from '../../native/bench/measure'
import {
  ConsoleReader,
  copiedDomainXml,
  destroyQuietly,
  guestFacts,
  streamGuestXml,
  uniqueName,
} from '../../native/test/integration/guests'
import { testHost } from '../../native/test/integration/test-host'
import { bundlePage } from './page-bundle'
import { RfbProbe, type FullFrames } from './rfb-probe'
import type { BenchContext, BenchRow, Scenario } from './scenarios'
import { TsWorker } from './ts-worker'
import type { BridgeRequest } from './vnc-bridge-worker'
import type { ClientRequest } from './vnc-node-client'
import type { NoVncRun, Target } from './vnc-page'

const SECONDS = Number(process.env.BENCH_VNC_SECONDS ?? 10)
const ROUND_TRIPS = Number(process.env.BENCH_VNC_ROUND_TRIPS ?? 300)
const RAW_SECONDS = Number(process.env.BENCH_VNC_RAW_SECONDS ?? 4)
/**
 * Each side's share of a run is cut into slices that alternate (ours, websockify, then the
 * other way round), so a change in the host's load hits both sides alike.
 */
const SLICE_SECONDS = 2
const RT_SLICE = 30
/** noVNC's first second of a connection (the first full frame) is not counted. */
const WARMUP_MS = 1000
const MiB = 1024 * 1024

/** The guest's VGA workload: /proc/interrupts to tty1 forever, in the background. */
const SCROLL = '(while :; do cat /proc/interrupts; done > /dev/tty1 &); echo VDK-"SCROLLING"\n'

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

async function waitForPort(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = netConnect({ host: '127.0.0.1', port })
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > end) throw new Error(`nothing listens on port ${port}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A Node WebSocket client in a worker thread (see vnc-node-client.ts). */
class NodeClient {
  private readonly worker = new TsWorker<ClientRequest>(
    new URL('./vnc-node-client.ts', import.meta.url),
  )

  open(url: string, origin: string, acks: boolean): Promise<void> {
    return this.worker.ask({ open: { url, origin, acks } })
  }

  roundTrips(n: number): Promise<number[]> {
    return this.worker.ask({ roundTrips: n })
  }

  raw(ms: number): Promise<FullFrames> {
    return this.worker.ask({ raw: ms })
  }

  async close(): Promise<void> {
    await this.worker.ask({ close: true }).catch(() => undefined)
    await this.worker.terminate()
  }
}

/** The floor: the same probe over plain TCP from Node. */
async function directProbe(port: number): Promise<{ probe: RfbProbe; close(): void }> {
  const socket = netConnect({ host: '127.0.0.1', port, noDelay: true })
  const probe = new RfbProbe(
    (b) => socket.write(b),
    () => performance.now(),
  )
  socket.on('data', (c: Buffer) => probe.receive(c))
  await probe.ready
  return { probe, close: () => socket.destroy() }
}

interface SideResult {
  novnc: NoVncRun[]
  /** Round trips in the page (Chromium's WebSocket included). */
  roundTrips: number[]
  /** Round trips from a Node WebSocket client: the bridge or websockify alone. */
  nodeRoundTrips: number[]
  raw: { bytes: number; frames: number; seconds: number }[]
  /** Raw full frames to a Node WebSocket client. */
  nodeRaw: { bytes: number; frames: number; seconds: number }[]
}

/** One side of the comparison: a page and how it reaches the VNC server. */
interface Side {
  page: Page
  target(): Promise<Target>
  /** The WebSocket a Node client opens for the same path (and the Origin it must send). */
  socket(): Promise<{ url: string; origin: string; acks: boolean }>
  result: SideResult
}

/** Runs `step` for both sides, in turns, `times` times; who goes first alternates. */
async function alternate(sides: [Side, Side], times: number, step: (s: Side) => Promise<void>) {
  for (let i = 0; i < times; i++) {
    const order = i % 2 === 0 ? sides : ([sides[1], sides[0]] as const)
    for (const side of order) {
      // The page in front gets the browser's attention; each side measures from the front.
      await side.page.bringToFront()
      await step(side)
    }
  }
}

/** One run: noVNC slices, round-trip slices (with the TCP floor), Raw slices. */
async function measureRun(sides: [Side, Side], vncPort: number, direct: number[]) {
  await alternate(sides, Math.max(1, Math.round(SECONDS / SLICE_SECONDS)), async (side) => {
    const run = await side.page.evaluate(([t, ms, warm]) => window.vncBench.novnc(t, ms, warm), [
      await side.target(),
      SLICE_SECONDS * 1000,
      WARMUP_MS,
    ] as const)
    side.result.novnc.push(run)
  })
  for (const side of sides) {
    await side.page.evaluate((t) => window.vncBench.probeOpen(t), await side.target())
  }
  const tcp = await directProbe(vncPort)
  const nodeClients = new Map<Side, NodeClient>()
  try {
    for (const side of sides) {
      const { url, origin, acks } = await side.socket()
      const client = new NodeClient()
      nodeClients.set(side, client)
      await client.open(url, origin, acks)
    }
    await alternate(sides, Math.max(1, Math.round(ROUND_TRIPS / RT_SLICE)), async (side) => {
      side.result.roundTrips.push(
        ...(await side.page.evaluate((n) => window.vncBench.probeRoundTrips(n), RT_SLICE)),
      )
      side.result.nodeRoundTrips.push(...(await nodeClients.get(side)!.roundTrips(RT_SLICE)))
      for (let i = 0; i < RT_SLICE / 2; i++) direct.push(await tcp.probe.roundTrip())
    })
    await alternate(sides, Math.max(1, Math.round(RAW_SECONDS / SLICE_SECONDS)), async (side) => {
      side.result.raw.push(
        await side.page.evaluate((ms) => window.vncBench.probeRaw(ms), SLICE_SECONDS * 1000),
      )
    })
    await alternate(sides, Math.max(1, Math.round(RAW_SECONDS / SLICE_SECONDS)), async (side) => {
      side.result.nodeRaw.push(await nodeClients.get(side)!.raw(SLICE_SECONDS * 1000))
    })
  } finally {
    tcp.close()
    for (const client of nodeClients.values()) await client.close()
    for (const side of sides) await side.page.evaluate(() => window.vncBench.probeClose())
  }
}

/** A per-second rate over all slices of a side. */
const rate = (runs: NoVncRun[], pick: (r: NoVncRun) => number) =>
  runs.reduce((sum, r) => sum + pick(r), 0) / runs.reduce((sum, r) => sum + r.seconds, 0)

/** The VNC console: noVNC through our bridge vs noVNC through websockify. */
export const vncScenario: Scenario = {
  name: 'vnc',
  description: 'VNC console, noVNC on our byte channel vs noVNC through websockify',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const host = testHost()
    const facts = guestFacts()
    const conn: Connection = await connect({
      socketPath: host.systemSocket,
      name: 'qemu:///system',
    })
    const bridge = new TsWorker<BridgeRequest>(new URL('./vnc-bridge-worker.ts', import.meta.url))
    let serverPort = 0
    let websockify: ChildProcess | undefined
    let pageDir: string | undefined
    let dom: NonnullDomain | null = null
    try {
      pageDir = await bundlePage('scripts/bench-consoles/vnc-page.ts', 'vnc bench')
      serverPort = await bridge.ask<number>({ start: { rendererDir: pageDir } })

      const name = uniqueName('vdk-bench-vnc')
      const xml = await copiedDomainXml(conn, facts.linux, name)
      dom = (
        await conn.remote.domainCreateXml({
          xml_desc: streamGuestXml(xml, 'org.virtdeck.v'),
          flags: 0,
        })
      ).dom
      const uuid = formatUuid(dom.uuid)
      ctx.log(`booting ${name}`)
      const tty = await openConsole(conn, dom, null, { force: true })
      const reader = new ConsoleReader(tty)
      await reader.waitFor(facts.readyLine, 90_000)
      tty.write(SCROLL)
      await reader.waitFor('VDK-SCROLLING')
      await tty.finish().catch(() => undefined)

      const target = vncTarget(parseGraphics(await getDomainXml(conn, dom, { flags: 0 })), true)
      if (!target.ok || target.endpoint.kind !== 'tcp') throw new Error('no VNC TCP endpoint')
      const vncPort = target.endpoint.port
      const wsPort = await freePort()
      websockify = spawn(
        'websockify',
        ['--web', pageDir, `127.0.0.1:${wsPort}`, `127.0.0.1:${vncPort}`],
        { stdio: 'ignore' },
      )
      await waitForPort(wsPort, 10_000)
      const version = await new Promise<string>((resolve) => {
        const v = spawn('dpkg-query', ['-W', '-f=${Version}', 'websockify'])
        let out = ''
        v.stdout.on('data', (c: Buffer) => (out += c.toString()))
        v.once('exit', () => resolve(out || 'unknown version'))
      })

      const browser = await ctx.browser()
      const oursPage = await browser.newPage({ viewport: { width: 1100, height: 700 } })
      await oursPage.goto(`http://127.0.0.1:${serverPort}/`)
      const wsPage = await browser.newPage({ viewport: { width: 1100, height: 700 } })
      await wsPage.goto(`http://127.0.0.1:${wsPort}/index.html`)

      const ticket = async (): Promise<Target> => ({
        ticket: await bridge.ask<string>({ openVnc: uuid }),
      })
      const viaWebsockify = async (): Promise<Target> => ({ websockify: true })
      const ours: SideResult = {
        novnc: [],
        roundTrips: [],
        nodeRoundTrips: [],
        raw: [],
        nodeRaw: [],
      }
      const ws: SideResult = { novnc: [], roundTrips: [], nodeRoundTrips: [], raw: [], nodeRaw: [] }
      const oursOrigin = `http://127.0.0.1:${serverPort}`
      const sides: [Side, Side] = [
        {
          page: oursPage,
          target: ticket,
          socket: async () => {
            const t = (await ticket()) as { ticket: string }
            const url = `ws://127.0.0.1:${serverPort}/channel/${t.ticket}`
            return { url, origin: oursOrigin, acks: true }
          },
          result: ours,
        },
        {
          page: wsPage,
          target: viaWebsockify,
          socket: async () => ({
            url: `ws://127.0.0.1:${wsPort}/`,
            origin: `http://127.0.0.1:${wsPort}`,
            acks: false,
          }),
          result: ws,
        },
      ]
      const direct: number[] = []
      for (let run = 0; run < ctx.runs; run++) {
        ctx.log(`run ${run + 1}/${ctx.runs}: ours and websockify in alternating slices`)
        await measureRun(sides, vncPort, direct)
        ctx.log(
          `  noVNC ${rate(ours.novnc, (r) => r.frames).toFixed(1)} vs ` +
            `${rate(ws.novnc, (r) => r.frames).toFixed(1)} frames/s; round trip ` +
            `${median(ours.roundTrips).toFixed(3)} vs ${median(ws.roundTrips).toFixed(3)} ms ` +
            `(TCP ${median(direct).toFixed(3)}); load ${loadavg()[0]!.toFixed(2)}`,
        )
        const perSlice = (s: SideResult) =>
          s.novnc.map((r) => (r.frames / r.seconds).toFixed(0)).join(' ')
        ctx.log(`  noVNC frames/s per slice: ours ${perSlice(ours)}; websockify ${perSlice(ws)}`)
      }
      await oursPage.close()
      await wsPage.close()

      const anchorName = `websockify ${version}`
      const floor = median(direct)
      const allLatencies = (s: SideResult) => s.novnc.flatMap((r) => r.latencies)
      type Raw = SideResult['raw']
      const total = (runs: Raw, pick: (r: Raw[number]) => number) =>
        runs.reduce((sum, r) => sum + pick(r), 0) / runs.reduce((sum, r) => sum + r.seconds, 0)
      const rawRate = (runs: Raw) => total(runs, (r) => r.bytes) / MiB
      const rawFps = (runs: Raw) => total(runs, (r) => r.frames)
      const slices = `${SLICE_SECONDS} s slices alternating with websockify's`
      const common = { scenario: 'vnc', anchorName }
      return [
        {
          ...common,
          metric: 'noVNC frames/s (scrolling VGA)',
          unit: 'frames/s',
          ours: rate(ours.novnc, (r) => r.frames),
          anchor: rate(ws.novnc, (r) => r.frames),
          higherIsBetter: true,
          method:
            `noVNC's requests for the next frame per second, ${SECONDS} s per side and run ` +
            `in ${slices}, ${ctx.runs} runs`,
        },
        {
          ...common,
          metric: 'noVNC bytes/s (scrolling VGA)',
          unit: 'KiB/s',
          ours: rate(ours.novnc, (r) => r.bytes) / 1024,
          anchor: rate(ws.novnc, (r) => r.bytes) / 1024,
          higherIsBetter: true,
          method: 'bytes noVNC received per second (its own encodings), same slices',
        },
        {
          ...common,
          metric: 'update request → reply',
          unit: 'ms',
          ours: median(allLatencies(ours)),
          anchor: median(allLatencies(ws)),
          higherIsBetter: false,
          method:
            `median over ${allLatencies(ours).length} / ${allLatencies(ws).length} noVNC ` +
            'requests; includes the wait for QEMU’s next refresh tick (≤ 30 ms)',
        },
        {
          ...common,
          metric: 'round trip in the page',
          unit: 'ms',
          ours: median(ours.roundTrips),
          anchor: median(ws.roundTrips),
          higherIsBetter: false,
          method:
            `median of ${ours.roundTrips.length} SetEncodings → QEMU ack in the page; plain TCP ` +
            `from Node ${floor.toFixed(3)} ms, so added: ours ` +
            `${(median(ours.roundTrips) - floor).toFixed(3)}, websockify ` +
            `${(median(ws.roundTrips) - floor).toFixed(3)} ms`,
        },
        {
          ...common,
          metric: 'bridge round trip (Node client)',
          unit: 'ms',
          ours: median(ours.nodeRoundTrips),
          anchor: median(ws.nodeRoundTrips),
          higherIsBetter: false,
          method:
            `median of ${ours.nodeRoundTrips.length} round trips from a Node WebSocket client ` +
            '(a worker thread, no browser); added to plain TCP: ours ' +
            `${(median(ours.nodeRoundTrips) - floor).toFixed(3)}, websockify ` +
            `${(median(ws.nodeRoundTrips) - floor).toFixed(3)} ms`,
        },
        {
          ...common,
          metric: 'Raw full frames in the page',
          unit: 'MiB/s',
          ours: rawRate(ours.raw),
          anchor: rawRate(ws.raw),
          higherIsBetter: true,
          method:
            `whole-screen Raw updates back to back, ${RAW_SECONDS} s per side and run in ${slices} ` +
            `(${rawFps(ours.raw).toFixed(1)} vs ${rawFps(ws.raw).toFixed(1)} frames/s); ` +
            'Chromium receiving 1.1 MiB frames is the limit',
        },
        {
          ...common,
          metric: 'Raw full frames (Node client)',
          unit: 'MiB/s',
          ours: rawRate(ours.nodeRaw),
          anchor: rawRate(ws.nodeRaw),
          higherIsBetter: true,
          method:
            `the same to a Node WebSocket client (${rawFps(ours.nodeRaw).toFixed(1)} vs ` +
            `${rawFps(ws.nodeRaw).toFixed(1)} frames/s); QEMU's 30 ms refresh is the limit`,
        },
      ]
    } finally {
      websockify?.kill()
      await bridge.ask({ stop: true }).catch(() => undefined)
      await bridge.terminate()
      await destroyQuietly(conn, dom)
      await conn.close()
      if (pageDir) rmSync(pageDir, { recursive: true, force: true })
    }
  },
}
