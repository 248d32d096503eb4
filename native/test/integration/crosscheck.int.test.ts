/**
 * Cross-check with python3-libvirt (libvirt's own C client) on the same daemon: domain
 * list (names, UUIDs, ids, states), XML text and bulk stats (keys, and values within a
 * tick for a running guest). Python opens test+unix:///... so that it crosses the socket
 * as we do. Live values are bracketed: ours before, python, ours after; a python value
 * must equal one of ours or lie between them, with 1 % slack. Gauges that move both ways
 * (the guest's rss while its firmware runs) get 10 %: a decoding fault is far off either way.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Connection } from '../../src/api/connection'
import { getDomainXml, listDomainsWithState, lookupDomain } from '../../src/api/domains'
import { createTransientDomain } from '../../src/api/lifecycle'
import { getDomainStats } from '../../src/api/stats'
import type { DomainStats } from '../../src/api/stats-types'
import { DomainXmlFlags } from '../../src/protocol/generated/flags.gen'
import type { TypedParamScalar } from '../../src/protocol/typed-params'
import { DISKLESS_TEMPLATE, disklessXml, removeDomain, uniqueName } from './scratch-domains'
import { testHost } from './test-host'

const host = testHost()
const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('./libvirt-dump.py', import.meta.url))

/** What libvirt-dump.py prints. */
interface PythonView {
  domains: { name: string; uuid: string; id: number; state: number; reason: number }[]
  stats: { name: string; uuid: string; values: Record<string, number | boolean | string> }[]
  xml: Record<string, Record<string, string>>
}

function pythonView(uri: string, xmlFlags: number[], names: string[]): PythonView {
  const out = execFileSync(PYTHON, [SCRIPT, uri, xmlFlags.join(','), ...names], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  })
  return JSON.parse(out) as PythonView
}

type Snapshot = Map<string, { uuid: string; id: number; state: number; reason: number }>

async function ourList(conn: Connection): Promise<Snapshot> {
  const list = await listDomainsWithState(conn)
  return new Map(
    list.map((d) => [
      d.name,
      { uuid: d.uuid, id: d.id, state: d.state.state, reason: d.state.reason },
    ]),
  )
}

async function ourStats(conn: Connection): Promise<Map<string, DomainStats>> {
  return new Map((await getDomainStats(conn, { raw: true })).map((s) => [s.name, s]))
}

/** Stats that can fall as well as rise between two reads, so a bracket does not hold. */
const GAUGES = new Set([
  'balloon.rss',
  'balloon.current',
  'balloon.available',
  'balloon.usable',
  'balloon.unused',
  'balloon.disk_caches',
])

/** Whether python's value matches ours taken just before (`a`) and just after (`b`). */
function withinATick(
  key: string,
  py: number | boolean | string,
  a: TypedParamScalar | undefined,
  b: TypedParamScalar | undefined,
): boolean {
  if (typeof py !== 'number') return py === a || py === b
  if (a === undefined || b === undefined || typeof a === 'string' || typeof b === 'string') {
    return false
  }
  const [x, y] = [Number(a), Number(b)]
  if (py === x || py === y || (py >= Math.min(x, y) && py <= Math.max(x, y))) return true
  const slack = GAUGES.has(key) ? 0.1 : 0.01
  return Math.abs(py - y) <= Math.max(Math.abs(x), Math.abs(y), 1) * slack
}

async function ourXml(
  conn: Connection,
  names: string[],
  flags: number[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const name of names) {
    const dom = (await lookupDomain(conn, name)).handle
    for (const f of flags) out.set(`${name}/${f}`, await getDomainXml(conn, dom, { flags: f }))
  }
  return out
}

describe('cross-check with python3-libvirt, qemu:///system', () => {
  let conn: Connection
  const guest = uniqueName('xcheck')

  beforeAll(async () => {
    conn = await connect({ socketPath: host.systemSocket, name: 'qemu:///system' })
    await createTransientDomain(conn, await disklessXml(conn, guest))
    await new Promise((r) => setTimeout(r, 300)) // let its counters move
  })
  afterAll(async () => {
    await removeDomain(conn, guest).catch(() => {})
    await conn?.close()
  })

  it('same domains, XML text and bulk stats', async () => {
    const names = [DISKLESS_TEMPLATE, guest]
    const flags = [0, DomainXmlFlags.SECURE, DomainXmlFlags.INACTIVE, DomainXmlFlags.MIGRATABLE]
    const listA = await ourList(conn)
    const statsA = await ourStats(conn)
    const xmlA = await ourXml(conn, names, flags)
    const py = pythonView('qemu:///system', flags, names)
    const xmlB = await ourXml(conn, names, flags)
    const statsB = await ourStats(conn)
    const listB = await ourList(conn)

    // Other tests may create or remove their own domains meanwhile: compare the stable ones.
    const pyDomains = new Map(py.domains.map((d) => [d.name, d]))
    const stable = [...listA.keys()].filter((n) => listB.has(n))
    expect(stable).toContain(guest)
    expect(stable).toContain(DISKLESS_TEMPLATE)
    for (const name of stable) {
      const [a, b, p] = [listA.get(name)!, listB.get(name)!, pyDomains.get(name)]
      expect(p, name).toBeDefined()
      expect(p!.uuid).toBe(a.uuid)
      expect(p!.id).toBe(a.id)
      if (a.state === b.state) expect([p!.state, p!.reason]).toEqual([a.state, a.reason])
    }
    expect(pyDomains.get(guest)?.state).toBe(1)

    for (const name of names) {
      for (const f of flags) {
        const text = py.xml[name]?.[String(f)]
        expect(
          [xmlA.get(`${name}/${f}`), xmlB.get(`${name}/${f}`)],
          `${name} flags ${f}`,
        ).toContain(text)
      }
    }

    let compared = 0
    for (const p of py.stats) {
      const [a, b] = [statsA.get(p.name), statsB.get(p.name)]
      if (!a?.raw || !b?.raw || a.state?.state !== b.state?.state) continue
      if (p.values['state.state'] !== a.state?.state) continue // changed under us
      expect(p.uuid).toBe(a.uuid)
      expect(Object.keys(p.values).sort(), p.name).toEqual(Object.keys(a.raw).sort())
      for (const [key, value] of Object.entries(p.values)) {
        expect(
          withinATick(key, value, a.raw[key], b.raw[key]),
          `${p.name} ${key}: python ${value}, ours ${a.raw[key]} then ${b.raw[key]}`,
        ).toBe(true)
      }
      compared++
    }
    expect(compared).toBeGreaterThanOrEqual(2)
    const live = statsB.get(guest)!
    expect(live.cpu?.time).toBeGreaterThan(0)
    expect(live.vcpu?.vcpus.length).toBe(1)
  }, 60_000)
})

describe('cross-check with python3-libvirt, test driver', () => {
  let conn: Connection

  beforeAll(async () => {
    conn = await connect({ socketPath: host.systemSocket, name: `test://${host.scaleXml}` })
  })
  afterAll(async () => {
    await conn?.close()
  })

  it(`same ${host.scaleCount} domains, states, stats and XML`, async () => {
    const sample = ['scale-0001', 'scale-0002', 'scale-0500', 'scale-1000']
    const flags = [0, DomainXmlFlags.INACTIVE]
    const py = pythonView(`test+unix://${host.scaleXml}`, flags, sample)
    const list = await ourList(conn)
    expect(py.domains).toHaveLength(host.scaleCount)
    expect(list.size).toBe(host.scaleCount)
    for (const p of py.domains) {
      expect(list.get(p.name), p.name).toEqual({
        uuid: p.uuid,
        id: p.id,
        state: p.state,
        reason: p.reason,
      })
    }
    const stats = await ourStats(conn)
    expect(stats.size).toBe(py.stats.length)
    for (const p of py.stats) {
      const ours = stats.get(p.name)
      expect(ours?.uuid).toBe(p.uuid)
      expect({ ...ours?.raw }).toEqual(p.values)
    }
    const xml = await ourXml(conn, sample, flags)
    for (const name of sample) {
      for (const f of flags) expect(xml.get(`${name}/${f}`)).toBe(py.xml[name]?.[String(f)])
    }
  })
})
