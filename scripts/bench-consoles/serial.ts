/**
 * The serial half: a transient copy of the tiny Linux guest; ours is the app's path (the
 * consoles service's SerialConsoles, a real web server's channel WebSocket, the page's
 * SerialSession and xterm.js acknowledging what it wrote); the anchor is `virsh console`.
 * Both sides take turns on the same guest.
 *
 * - Throughput: the guest prints `od` output of BENCH_SERIAL_BYTES bytes (default 1 MiB)
 *   between two markers with echo and output processing off; time from the first marker to
 *   the second, as written by xterm (ours) or printed by virsh. The guest's 16550 UART under
 *   TCG is the bottleneck (~110 KB/s), so both sides should be near that.
 * - Keystroke round trip: with `stty echo -icanon` and `cat > /dev/null` in the guest, one
 *   key is sent and the time until its echo is written (xterm) or printed (virsh) is taken;
 *   median over BENCH_SERIAL_KEYS keys (default 50).
 */
import { rmSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { ServiceRegistry } from '@common/ipc/channel-server'
import { connect, formatUuid, type Connection, type NonnullDomain } from '@native'
import { ChannelBroker } from '../../electron/main/services/channels'
import { SerialConsoles } from '../../electron/main/services/consoles/serial-console'
import { startWebServer, type WebServer } from '../../electron/main/web/server'
import { median } from '../../native/bench/measure'
import {
  copiedDomainXml,
  destroyQuietly,
  guestFacts,
  odPattern,
  streamGuestXml,
  uniqueName,
} from '../../native/test/integration/guests'
import { testHost } from '../../native/test/integration/test-host'
import { ChannelClient } from './channel-client'
import { bundlePage } from './page-bundle'
import type { BenchContext, BenchRow, Scenario } from './scenarios'
import { VirshConsole } from './virsh-console'

const BYTES = Number(process.env.BENCH_SERIAL_BYTES ?? 1024 * 1024)
const KEYS = Number(process.env.BENCH_SERIAL_KEYS ?? 50)
const MiB = 1024 * 1024
/** Time allowed for one transfer: the UART's speed with a wide margin for a busy host. */
const TRANSFER_MS = 30_000 + BYTES / 10

/** The transfer: markers around the pattern (quotes keep the typed line from matching). */
const TRANSFER = `echo VDK-"BEGIN"; ${odPattern(BYTES)}; echo; echo VDK-"END"\n`
/** Raw output, no echo: what the transfer needs. */
const RAW = 'stty -echo -opost\n'
/** Echo by the line discipline, one key at a time, nothing else printing. */
const KEYSTROKES = 'stty echo -icanon; cat > /dev/null\n'
/** Ctrl-C ends the cat; then back to raw. */
const END_KEYSTROKES = `\x03${RAW}`

/** Either side of the comparison, as the measurements drive it. */
interface Side {
  send(text: string): Promise<void>
  waitFor(pattern: string, timeoutMs: number): Promise<number>
  span(command: string, begin: string, end: string, timeoutMs: number): Promise<number>
  echo(key: string, timeoutMs: number): Promise<number>
  close(): Promise<void>
}

/**
 * Runs a shell line and waits until the guest has run it (a marker it prints). A console
 * just opened may miss what is typed at once, so the line is sent again if need be.
 */
async function settle(side: Side, line: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const marker = `VDK-OK-${Math.random().toString(36).slice(2, 8)}`
    const done = side.waitFor(`${marker}\n`, 15_000 * attempt)
    await side.send(`${line.replace(/\n$/, '')}; echo ${marker.replace('-OK-', '-"OK"-')}\n`)
    try {
      await done
      return
    } catch (err) {
      if (attempt === 3) throw err
    }
  }
}

async function throughput(side: Side): Promise<number> {
  const ms = await side.span(TRANSFER, 'VDK-BEGIN\n', 'VDK-END\n', TRANSFER_MS)
  return BYTES / MiB / (ms / 1000)
}

async function keystrokes(side: Side): Promise<number[]> {
  await side.send(KEYSTROKES)
  await new Promise((r) => setTimeout(r, 500))
  const times: number[] = []
  for (let i = 0; i < KEYS; i++) {
    times.push(await side.echo('x', 10_000))
    await new Promise((r) => setTimeout(r, 20))
  }
  await side.send(END_KEYSTROKES)
  await new Promise((r) => setTimeout(r, 300))
  return times
}

/** Our side: a ticket from SerialConsoles, opened by the bench page. */
async function pageSide(
  serial: SerialConsoles,
  conn: Connection,
  uuid: string,
  page: Page,
): Promise<Side> {
  const ticket = await serial.open(conn, { uuid, device: 'serial0', force: true })
  await page.evaluate((t) => window.bench.start(t), ticket)
  // Times are taken in the page (performance.now), so the driver's round trips do not count.
  return {
    send: (text) => page.evaluate((t) => window.bench.send(t), text),
    waitFor: (pattern, ms) =>
      page.evaluate(([p, t]) => window.bench.waitFor(p, t), [pattern, ms] as const),
    span: (command, begin, end, ms) =>
      page.evaluate(([c, b, e, t]) => window.bench.span(c, b, e, t), [
        command,
        begin,
        end,
        ms,
      ] as const),
    echo: (key, ms) => page.evaluate(([k, t]) => window.bench.echo(k, t), [key, ms] as const),
    close: () => page.evaluate(() => window.bench.stop()),
  }
}

/** Our bridge alone: the same ticket and WebSocket, read by Node (no browser, no terminal). */
async function bridgeSide(
  serial: SerialConsoles,
  conn: Connection,
  uuid: string,
  port: number,
): Promise<Side> {
  const ticket = await serial.open(conn, { uuid, device: 'serial0', force: true })
  const client = await ChannelClient.open(port, ticket)
  return {
    send: async (text) => client.send(text),
    waitFor: (pattern, ms) => client.waitFor(pattern, ms),
    span: (command, begin, end, ms) => client.span(command, begin, end, ms),
    echo: (key, ms) => client.echo(key, ms),
    close: () => client.close(),
  }
}

async function virshSide(domain: string): Promise<Side> {
  const virsh = await VirshConsole.open(domain)
  return {
    send: async (text) => virsh.send(text),
    waitFor: (pattern, ms) => virsh.waitFor(pattern, ms),
    span: (command, begin, end, ms) => virsh.span(command, begin, end, ms),
    echo: (key, ms) => virsh.echo(key, ms),
    close: () => virsh.close(),
  }
}

/** What one side measured over the runs. */
interface Measured {
  rates: number[]
  keys: number[]
}

/** One run on one side: throughput, then keystrokes; the guest is left raw. */
async function measure(side: Side, into: Measured): Promise<void> {
  await settle(side, RAW)
  into.rates.push(await throughput(side))
  into.keys.push(...(await keystrokes(side)))
  await settle(side, RAW)
  await side.close()
}

const p90 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.9)]!

/** The serial console: guest-to-terminal throughput and keystroke round trip, vs virsh. */
export const serialScenario: Scenario = {
  name: 'serial',
  description: 'serial console, our bridge + xterm.js in Chromium vs `virsh console`',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const host = testHost()
    const facts = guestFacts()
    const conn = await connect({ socketPath: host.systemSocket, name: 'qemu:///system' })
    const broker = new ChannelBroker()
    const serial = new SerialConsoles(broker)
    let server: WebServer | undefined
    let pageDir: string | undefined
    let dom: NonnullDomain | null = null
    try {
      pageDir = await bundlePage('scripts/bench-consoles/serial-page.ts', 'serial bench')
      server = await startWebServer({
        registry: new ServiceRegistry(),
        rendererDir: pageDir,
        channels: broker,
      })
      const port = server.port
      const name = uniqueName('vdk-bench-serial')
      const xml = await copiedDomainXml(conn, facts.linux, name)
      dom = (
        await conn.remote.domainCreateXml({
          xml_desc: streamGuestXml(xml, 'org.virtdeck.b'),
          flags: 0,
        })
      ).dom
      const uuid = formatUuid(dom.uuid)
      const page = await (await ctx.browser()).newPage({ viewport: { width: 1100, height: 700 } })
      await page.goto(`http://127.0.0.1:${port}/`)

      ctx.log(`booting ${name}`)
      const boot = await pageSide(serial, conn, uuid, page)
      await boot.waitFor(facts.readyLine, 90_000)
      await settle(boot, RAW)
      await boot.close()

      const ours: Measured = { rates: [], keys: [] }
      const bridge: Measured = { rates: [], keys: [] }
      const virsh: Measured = { rates: [], keys: [] }
      const arrived: number[] = []
      let pauses = 0
      for (let run = 0; run < ctx.runs; run++) {
        ctx.log(`run ${run + 1}/${ctx.runs}: ours (page), ours (bridge only), virsh console`)
        const side = await pageSide(serial, conn, uuid, page)
        await settle(side, RAW)
        ours.rates.push(await throughput(side))
        const arrivedMs = await page.evaluate(() => window.bench.lastArrivalSpan())
        arrived.push(BYTES / MiB / (arrivedMs / 1000))
        pauses += serial.bridges.reduce((n, b) => n + b.pauses, 0)
        ours.keys.push(...(await keystrokes(side)))
        await settle(side, RAW)
        await side.close()
        await measure(await bridgeSide(serial, conn, uuid, port), bridge)
        await measure(await virshSide(name), virsh)
        ctx.log(
          `  MiB/s ${[ours, bridge, virsh].map((m) => m.rates.at(-1)!.toFixed(3)).join(' / ')}; ` +
            `keys ms ${[ours, bridge, virsh].map((m) => median(m.keys.slice(-KEYS)).toFixed(2)).join(' / ')}`,
        )
      }
      await page.close()
      const mib = (BYTES / MiB).toFixed(2)
      const row = (
        metric: string,
        unit: string,
        mine: number,
        anchor: number,
        higherIsBetter: boolean,
        method: string,
      ): BenchRow => ({
        scenario: 'serial',
        metric,
        unit,
        ours: mine,
        anchor,
        anchorName: 'virsh console',
        higherIsBetter,
        method,
      })
      return [
        row(
          'guest → terminal throughput',
          'MiB/s',
          median(ours.rates),
          median(virsh.rates),
          true,
          `${mib} MiB of od output between markers, median of ${ctx.runs}; ours = written by ` +
            `xterm.js in Chromium (acked), virsh = printed on its pty; ours as it reached the ` +
            `page ${median(arrived).toFixed(3)} MiB/s, ${pauses} flow-control pauses`,
        ),
        row(
          'keystroke round trip',
          'ms',
          median(ours.keys),
          median(virsh.keys),
          false,
          `median of ${ours.keys.length} keys per side (p90 ours ${p90(ours.keys).toFixed(2)}, ` +
            `virsh ${p90(virsh.keys).toFixed(2)} ms); key sent until its tty echo is on screen`,
        ),
        row(
          'guest → bridge throughput (no page)',
          'MiB/s',
          median(bridge.rates),
          median(virsh.rates),
          true,
          'the same bridge and WebSocket read by Node, acking at once: the bridge without ' +
            'the browser and the terminal (which share the CPUs with the TCG guest)',
        ),
        row(
          'keystroke round trip (no page)',
          'ms',
          median(bridge.keys),
          median(virsh.keys),
          false,
          `median of ${bridge.keys.length} keys (p90 ${p90(bridge.keys).toFixed(2)} ms)`,
        ),
      ]
    } finally {
      serial.dispose()
      await destroyQuietly(conn, dom)
      await server?.close()
      broker.dispose()
      await conn.close()
      if (pageDir) rmSync(pageDir, { recursive: true, force: true })
    }
  },
}
