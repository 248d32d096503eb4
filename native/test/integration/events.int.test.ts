/**
 * Events against the real daemon: every lifecycle transition of a diskless VM (defined
 * under a unique name, so runs and other tests never see each other's events), reboot and
 * device hotplug, network and storage pool lifecycle, and one registration shared by many
 * subscribers.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Connection } from '../../src/api/connection'
import type { DomainLifecycleEvent } from '../../src/api/event-types'
import { forDomain } from '../../src/api/events'
import type { NonnullDomain } from '../../src/protocol/generated/remote-types.gen'
import { copiedDomainXml, guestFacts, uniqueName } from './guests'
import { testHost } from './test-host'

const host = testHost()
const facts = guestFacts()
/** VIR_DOMAIN_AFFECT_LIVE */
const LIVE = 1
const TABLET = "<input type='tablet' bus='usb'/>"

/** Resolves once `check` returns something other than undefined; fails after `ms`. */
async function eventually<T>(what: string, check: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = check()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`no event: ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('events (qemu:///system)', () => {
  let conn: Connection
  let dom: NonnullDomain | null = null
  const name = uniqueName('vdk-events')

  beforeAll(async () => {
    conn = await connect({ socketPath: host.systemSocket, name: 'qemu:///system' })
  })

  afterAll(async () => {
    if (dom && !conn.closed) {
      await conn.remote.domainDestroy({ dom }).catch(() => {})
      await conn.remote.domainUndefineFlags({ dom, flags: 0 }).catch(() => {})
    }
    await conn?.close()
  })

  it('sees an event for every transition of a diskless VM', async () => {
    const lifecycle: DomainLifecycleEvent[] = []
    const where = forDomain(name)
    const subs = [
      conn.events.onDomainLifecycle((e) => lifecycle.push(e), { where }),
      conn.events.onDomainLifecycle(() => {}), // a second subscriber: still one registration
    ]
    const reboots = conn.events.domainReboot({ where })
    const added = conn.events.domainDeviceAdded({ where })
    const removed = conn.events.domainDeviceRemoved({ where })
    await Promise.all([...subs.map((s) => s.ready), reboots.ready, added.ready, removed.ready])
    expect(conn.events.registrations).toBe(4)

    let seen = 0
    /** Waits for the next lifecycle event with these names (others may come in between). */
    const transition = (event: string, detail: string) =>
      eventually(`${event} ${detail}`, () => {
        const i = lifecycle.findIndex(
          (e, k) => k >= seen && e.eventName === event && e.detailName === detail,
        )
        if (i < 0) return undefined
        seen = i + 1
        return lifecycle[i]
      })

    const xml = await copiedDomainXml(conn, facts.vnc, name)
    dom = (await conn.remote.domainDefineXmlFlags({ xml, flags: 0 })).dom
    const defined = await transition('DEFINED', 'ADDED')
    expect(defined.domain).toMatchObject({ name, id: -1 })

    await conn.remote.domainCreate({ dom })
    const started = await transition('STARTED', 'BOOTED')
    expect(started.domain.id).toBeGreaterThan(0)

    await conn.remote.domainSuspend({ dom })
    await transition('SUSPENDED', 'PAUSED')
    await conn.remote.domainResume({ dom })
    await transition('RESUMED', 'UNPAUSED')

    await conn.remote.domainAttachDeviceFlags({ dom, xml: TABLET, flags: LIVE })
    const plugged = (await added.next()).value!
    expect(plugged.devAlias).toMatch(/^input\d+$/)
    await conn.remote.domainDetachDeviceFlags({ dom, xml: TABLET, flags: LIVE })
    expect((await removed.next()).value?.devAlias).toBe(plugged.devAlias)

    // The reset comes after the hotplug: a USB device unplugged just after a reset, while
    // SeaBIOS sets up the USB controller again, is sometimes never released by QEMU (libvirt
    // waits 5 s, returns, and no device-removed event ever comes; python3-libvirt sees it too).
    await conn.remote.domainReset({ dom, flags: 0 })
    expect((await reboots.next()).value?.domain.name).toBe(name)

    await conn.remote.domainDestroy({ dom })
    await transition('STOPPED', 'DESTROYED')
    await conn.remote.domainUndefineFlags({ dom, flags: 0 })
    await transition('UNDEFINED', 'REMOVED')
    dom = null
    expect(lifecycle.every((e) => e.domain.name === name)).toBe(true)
    expect(conn.events.malformedEvents).toBe(0)

    for (const s of subs) s.dispose()
    for (const it of [reboots, added, removed]) await it.return()
    await eventually('deregistered', () => (conn.events.registrations === 0 ? true : undefined))
  })

  it('sees network and storage pool lifecycle events', async () => {
    const netName = uniqueName('vdk-ev-net')
    const poolName = uniqueName('vdk-ev-pool')
    const poolDir = `/var/tmp/${poolName}`
    const nets = conn.events.networkLifecycle({ where: (e) => e.network.name === netName })
    const pools = conn.events.storagePoolLifecycle({ where: (e) => e.pool.name === poolName })
    await Promise.all([nets.ready, pools.ready])

    // Isolated (no forward, no address), with a bridge name of at most 15 characters.
    const bridge = `vdkev${process.pid % 100_000}`
    const { net } = await conn.remote.networkCreateXml({
      xml: `<network><name>${netName}</name><bridge name='${bridge}'/></network>`,
    })
    expect((await nets.next()).value).toMatchObject({ eventName: 'STARTED' })
    await conn.remote.networkDestroy({ net })
    expect((await nets.next()).value).toMatchObject({ eventName: 'STOPPED' })

    mkdirSync(poolDir, { recursive: true })
    try {
      const { pool } = await conn.remote.storagePoolCreateXml({
        xml: `<pool type='dir'><name>${poolName}</name><target><path>${poolDir}</path></target></pool>`,
        flags: 0,
      })
      expect((await pools.next()).value).toMatchObject({ eventName: 'STARTED' })
      await conn.remote.storagePoolDestroy({ pool })
      expect((await pools.next()).value).toMatchObject({ eventName: 'STOPPED' })
    } finally {
      rmSync(poolDir, { recursive: true, force: true })
    }
    await nets.return()
    await pools.return()
  })

  it('registers once for the close callback, shared by two subscribers', async () => {
    const a = conn.events.onConnectionClosed(() => {})
    const b = conn.events.connectionClosed()
    await Promise.all([a.ready, b.ready])
    a.dispose()
    await b.return()
    await eventually('deregistered', () => (conn.events.registrations === 0 ? true : undefined))
  })
})
