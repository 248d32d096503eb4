/**
 * Streams against the real daemon: the tiny Linux guest's serial console and a
 * virtio-serial channel, a screenshot of the diskless VM, and what a lost or closed
 * connection does to open streams and subscriptions.
 *
 * The serial console carries 5 MiB byte-exact. Under TCG the guest's 16550 UART moves about
 * 110 KB/s, so that test takes most of a minute (VIRTDECK_CONSOLE_BYTES shortens it for local
 * runs). QEMU's virtio *console* drops output when its pty is full, so it is not used. A
 * virtio-serial channel, which QEMU throttles instead of dropping, carries another 5 MiB while
 * we stop reading: the same stream code, DOMAIN_OPEN_CHANNEL instead of DOMAIN_OPEN_CONSOLE.
 * The guest prints an `od` dump of /dev/zero (every line carries its own offset) and then
 * the md5 of the same bytes, which we compare with what arrived.
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createConnection } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openChannel, openConsole, screenshot } from '../../src/api/console'
import { connect, type Connection } from '../../src/api/connection'
import type { NonnullDomain } from '../../src/protocol/generated/remote-types.gen'
import { ConnectionLostError } from '../../src/rpc/errors'
import { duplexFlowControl, type VirStream } from '../../src/rpc/streams'
import { duplexTransport } from '../../src/transport/transport'
import {
  ConsoleReader,
  copiedDomainXml,
  destroyQuietly,
  guestFacts,
  odPattern,
  PATTERN_DONE,
  patternReceived,
  patternTransferCommand,
  streamGuestXml,
  uniqueName,
} from './guests'
import { testHost } from './test-host'

const host = testHost()
const facts = guestFacts()
const CHANNEL = 'org.virtdeck.bulk'
const CONSOLE_BYTES = Number(process.env.VIRTDECK_CONSOLE_BYTES ?? 5 * 1024 * 1024)
const CHANNEL_BYTES = 5 * 1024 * 1024

const open = () => connect({ socketPath: host.systemSocket, name: 'qemu:///system' })

/** Counts of the active handles and timers, by type (sockets, timers). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1
  return counts
}

describe('streams (qemu:///system)', () => {
  let conn: Connection
  let linux: NonnullDomain | null = null
  let tty: VirStream
  let out: ConsoleReader
  const ttyErrors: Error[] = []

  beforeAll(async () => {
    conn = await open()
    const xml = await copiedDomainXml(conn, facts.linux, uniqueName('vdk-stream'))
    linux = (
      await conn.remote.domainCreateXml({ xml_desc: streamGuestXml(xml, CHANNEL), flags: 0 })
    ).dom
    tty = await openConsole(conn, linux, null, { force: true })
    tty.on('error', (e: Error) => ttyErrors.push(e))
    out = new ConsoleReader(tty)
    await out.waitFor(facts.readyLine, 60_000)
    // Raw output (no \n -> \r\n) and no echo of what we type.
    tty.write('stty -echo -opost\n')
    out.clear()
    tty.write('echo VDK-"SET"\n')
    await out.waitFor('VDK-SET\n')
  })

  afterAll(async () => {
    tty?.destroy()
    await destroyQuietly(conn, linux)
    await conn?.close()
  })

  it(
    'the serial console carries guest output intact and our input to the guest',
    async () => {
      out.clear()
      const started = performance.now()
      tty.write(patternTransferCommand(CONSOLE_BYTES))
      const m = (await out.waitFor(PATTERN_DONE, 20_000 + CONSOLE_BYTES / 50)) as RegExpMatchArray
      const { data, md5 } = patternReceived(out.all)
      expect(data.byteLength).toBe(CONSOLE_BYTES)
      expect(md5).toBe(m[1])
      console.log(
        `console: ${CONSOLE_BYTES} bytes in ${(performance.now() - started).toFixed(0)} ms`,
      )
      expect(ttyErrors).toEqual([])
    },
    30_000 + CONSOLE_BYTES / 50,
  ) // the UART moves ~110 KB/s under TCG

  it('a channel stream carries 5 MiB intact, held back by the socket while we do not read', async () => {
    // A connection of its own, so that the stream may pause the socket (flow control).
    const sock = createConnection({ path: host.systemSocket })
    await once(sock, 'connect')
    const dedicated = await connect({
      transport: duplexTransport(sock, `unix:${host.systemSocket}`),
      name: 'qemu:///system',
    })
    try {
      const ch = await openChannel(dedicated, linux!, CHANNEL, { flow: duplexFlowControl(sock) })
      ch.pause() // nobody reads yet
      out.clear()
      const started = performance.now()
      const port = `/dev/$(basename $(dirname $(grep -l ${CHANNEL} /sys/class/virtio-ports/*/name)))`
      tty.write(`${odPattern(CHANNEL_BYTES)} > ${port}; ${odPattern(CHANNEL_BYTES)} | md5sum\n`)
      // Wait until the socket has paused (a loaded machine takes longer), then a little more:
      // the guest writes on, but what we hold stays near the high-water mark (256 KiB), since
      // the paused socket makes TCP hold the daemon back and QEMU throttle the guest.
      const pausedBy = Date.now() + 30_000
      while (!sock.isPaused() && Date.now() < pausedBy) await new Promise((r) => setTimeout(r, 50))
      await new Promise((r) => setTimeout(r, 1500))
      const held = ch.readableLength
      expect(held).toBeGreaterThan(0)
      expect(held).toBeLessThan(1 << 20)
      expect(sock.isPaused()).toBe(true)

      const hash = createHash('md5')
      let total = 0
      ch.on('data', (c: Buffer) => {
        hash.update(c)
        total += c.byteLength
      })
      ch.resume() // explicitly paused above, so a 'data' listener alone does not resume
      const m = (await out.waitFor(/([0-9a-f]{32}) {2}-\n/, 60_000)) as RegExpMatchArray
      const deadline = Date.now() + 10_000
      while (total < CHANNEL_BYTES && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20))
      }
      expect(total).toBe(CHANNEL_BYTES)
      expect(hash.digest('hex')).toBe(m[1])
      const ms = (performance.now() - started).toFixed(0)
      console.log(`channel: 5 MiB in ${ms} ms (paused at least 1.5 s, ${held} bytes held)`)
      await ch.finish()
      expect(ch.isClosed).toBe(true)
    } finally {
      await dedicated.close()
    }
  })

  it('a screenshot of the diskless VM is a 720x400 PNG', async () => {
    const xml = await copiedDomainXml(conn, facts.vnc, uniqueName('vdk-shot'))
    const { dom } = await conn.remote.domainCreateXml({ xml_desc: xml, flags: 0 })
    try {
      // Until SeaBIOS sets VGA text mode (~0.1 s after start) QEMU shows a 640x480 screen.
      let size: number[] = []
      for (let i = 0; i < 40; i++) {
        const shot = await screenshot(conn, dom, 0, { timeoutMs: 30_000 })
        expect(shot.mime).toBe('image/png')
        const d = shot.data
        expect(d.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a') // PNG signature
        expect(d.readUInt32BE(8)).toBe(13) // first chunk: length 13 ...
        expect(d.subarray(12, 16).toString('latin1')).toBe('IHDR') // ... type IHDR
        size = [d.readUInt32BE(16), d.readUInt32BE(20)] // width, height
        if (size[0] === 720) break
        await new Promise((r) => setTimeout(r, 250))
      }
      expect(size).toEqual([720, 400]) // VGA text mode
    } finally {
      await destroyQuietly(conn, dom)
    }
  })

  it('a lost or closed connection fails open streams and ends subscriptions, leaving nothing', async () => {
    const before = resources()

    // Lost: dropped at once.
    const lost = await open()
    const iter = lost.events.domainLifecycle()
    const onEnd: (Error | undefined)[] = []
    lost.events.onDomainReboot(() => {}, { onEnd: (e) => onEnd.push(e) })
    await iter.ready
    const ch = await openChannel(lost, linux!, CHANNEL, { force: true })
    const failed = once(ch, 'error')
    lost.dispose()
    const [err] = (await failed) as [Error]
    expect(err).toBeInstanceOf(ConnectionLostError)
    await expect(iter.next()).rejects.toBeInstanceOf(ConnectionLostError)
    expect(onEnd).toEqual([expect.any(ConnectionLostError)])

    // Closed: subscriptions end quietly (and are deregistered first); the stream fails.
    const closed = await open()
    const iter2 = closed.events.domainLifecycle()
    await iter2.ready
    const ch2 = await openChannel(closed, linux!, CHANNEL, { force: true })
    const failed2 = once(ch2, 'error')
    await closed.close()
    expect(((await failed2) as [Error])[0]).toBeInstanceOf(ConnectionLostError)
    expect(await iter2.next()).toEqual({ value: undefined, done: true })

    for (const c of [lost, closed]) {
      expect(c.events.subscribers).toBe(0)
      expect(c.events.registrations).toBe(0)
      expect(c.rpc.pendingCount).toBe(0)
    }
    await new Promise((r) => setTimeout(r, 50))
    // Nothing of ours is left; a timer of an earlier test may have ended meanwhile, so
    // compare per kind: never more than before.
    const after = resources()
    for (const [kind, count] of Object.entries(after)) {
      expect(count, kind).toBeLessThanOrEqual(before[kind] ?? 0)
    }
  })
})
