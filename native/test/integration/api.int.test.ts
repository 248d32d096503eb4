/**
 * The high-level API (host, domains, lifecycle, bulk stats) against the test host: a
 * transient copy of the diskless VM through start, suspend/resume, save/restore and
 * destroy; define/undefine from XML; the 1,000-domain test driver for the list, bulk stats
 * and the lifecycle calls QEMU would make slow.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, hostname as osHostname } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Connection } from '../../src/api/connection'
import {
  defineDomain,
  getDomainXml,
  listDomainsWithState,
  lookupDomain,
  undefineDomain,
} from '../../src/api/domains'
import { getCapabilities, getHostSummary } from '../../src/api/host'
import {
  createTransientDomain,
  destroyDomain,
  getAutostart,
  hasManagedSave,
  managedSave,
  rebootDomain,
  resetDomain,
  restoreDomain,
  resumeDomain,
  saveDomain,
  setAutostart,
  shutdownDomain,
  startDomain,
  suspendDomain,
} from '../../src/api/lifecycle'
import { getDomainStats } from '../../src/api/stats'
import {
  DomainStatsTypes,
  DomainUndefineFlags,
  DomainXmlFlags,
} from '../../src/protocol/generated/flags.gen'
import { isNoDomain } from '../../src/rpc/errors'
import { disklessXml, removeDomain, uniqueName } from './scratch-domains'
import { testHost } from './test-host'

const host = testHost()

async function stateOf(conn: Connection, name: string): Promise<string> {
  return (await conn.domainState((await lookupDomain(conn, name)).handle)).stateName
}

describe('high-level API, system daemon', () => {
  let conn: Connection
  let dir: string
  const names: string[] = []

  beforeAll(async () => {
    conn = await connect({ socketPath: host.systemSocket, name: 'qemu:///system' })
    dir = mkdtempSync('/var/tmp/virtdeck-api-')
  })
  afterAll(async () => {
    for (const name of names) await removeDomain(conn, name).catch(() => {})
    await conn?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('host summary and capabilities', async () => {
    const s = await getHostSummary(conn)
    expect(s.hostname).toBe(osHostname())
    expect(s.hypervisorType).toBe('QEMU')
    expect(s.uri).toBe('qemu:///system')
    expect(s.libVersion).toMatch(/^\d+\.\d+\.\d+$/)
    expect(s.hypervisorVersion).toMatch(/^\d+\.\d+\.\d+$/)
    expect(s.info.cpus).toBe(cpus().length)
    expect(s.info.model).toBe('x86_64')
    expect(s.info.memoryKiB).toBeGreaterThan(0) // NUMA memory: may differ from MemTotal
    expect(s.info.nodes * s.info.sockets * s.info.cores * s.info.threads).toBe(s.info.cpus)
    const caps = await getCapabilities(conn)
    expect(caps).toContain('<capabilities>')
    expect(caps).toContain('<arch>x86_64</arch>')
  })

  it('a transient diskless VM: start, suspend/resume, save/restore, destroy', async () => {
    const name = uniqueName('life')
    names.push(name)
    const started = await createTransientDomain(conn, await disklessXml(conn, name))
    expect(started.name).toBe(name)
    expect(started.id).toBeGreaterThan(0)
    const listed = (await listDomainsWithState(conn)).find((d) => d.name === name)
    expect(listed?.state.stateName).toBe('RUNNING')
    expect(listed?.uuid).toBe(started.uuid)

    await suspendDomain(conn, started.handle)
    expect(await stateOf(conn, name)).toBe('PAUSED')
    await resumeDomain(conn, started.handle)
    expect(await stateOf(conn, name)).toBe('RUNNING')

    const image = join(dir, `${name}.save`)
    await saveDomain(conn, started.handle, image)
    expect(existsSync(image)).toBe(true)
    const gone = await lookupDomain(conn, name).catch((e: unknown) => e)
    expect(isNoDomain(gone)).toBe(true) // a transient domain ends with its save
    await restoreDomain(conn, image)
    const restored = await lookupDomain(conn, name)
    expect(restored.uuid).toBe(started.uuid)
    expect(await stateOf(conn, name)).toBe('RUNNING')

    const stats = await getDomainStats(conn, {
      domains: [restored.handle],
      groups: DomainStatsTypes.STATE | DomainStatsTypes.CPU_TOTAL | DomainStatsTypes.BALLOON,
    })
    expect(stats).toHaveLength(1)
    expect(stats[0]?.state?.stateName).toBe('RUNNING')
    expect(stats[0]?.cpu?.time).toBeGreaterThan(0)
    expect(stats[0]?.balloon?.maximum).toBe(131072)

    await destroyDomain(conn, restored.handle)
    expect(isNoDomain(await lookupDomain(conn, name).catch((e: unknown) => e))).toBe(true)
  }, 60_000)

  it('define from XML, read it back with flags, autostart, undefine', async () => {
    const name = uniqueName('def')
    names.push(name)
    const defined = await defineDomain(conn, await disklessXml(conn, name))
    expect(defined.id).toBe(-1)
    expect(await stateOf(conn, name)).toBe('SHUTOFF')
    const xml = await getDomainXml(conn, defined.handle, { flags: DomainXmlFlags.INACTIVE })
    expect(xml).toContain(`<name>${name}</name>`)
    expect(xml).toContain(`<uuid>${defined.uuid}</uuid>`)
    expect(await getAutostart(conn, defined.handle)).toBe(false)
    await setAutostart(conn, defined.handle, true)
    expect(await getAutostart(conn, defined.handle)).toBe(true)
    await setAutostart(conn, defined.handle, false)
    await undefineDomain(conn, defined.handle, { flags: DomainUndefineFlags.NVRAM })
    expect(isNoDomain(await lookupDomain(conn, defined.uuid).catch((e: unknown) => e))).toBe(true)
  })
})

describe('high-level API, test driver', () => {
  let conn: Connection
  let dir: string

  beforeAll(async () => {
    // A test:/// connection gets its own copy of the file's domains: changes stay private.
    conn = await connect({ socketPath: host.systemSocket, name: `test://${host.scaleXml}` })
    dir = mkdtempSync('/var/tmp/virtdeck-api-')
  })
  afterAll(async () => {
    await conn?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it(`lists ${host.scaleCount} domains with their states in one round trip`, async () => {
    const list = await listDomainsWithState(conn)
    expect(list).toHaveLength(host.scaleCount)
    for (const d of list) {
      const n = Number(d.name.slice('scale-'.length))
      expect(d.state.stateName).toBe(n % 2 === 1 ? 'RUNNING' : 'SHUTOFF')
    }
    const running = await listDomainsWithState(conn, 16) // RUNNING
    expect(running).toHaveLength(host.scaleCount / 2)
  })

  it('bulk stats for all domains or a chosen few', async () => {
    const all = await getDomainStats(conn)
    expect(all).toHaveLength(host.scaleCount)
    const few = (await conn.listAllDomains()).slice(0, 3)
    const some = await getDomainStats(conn, {
      domains: few.map((d) => d.handle),
      groups: DomainStatsTypes.STATE,
    })
    expect(some.map((s) => s.uuid)).toEqual(few.map((d) => d.uuid))
  })

  it('every lifecycle call', async () => {
    const dom = (await lookupDomain(conn, 'scale-0002')).handle
    const state = async (): Promise<string> => (await conn.domainState(dom)).stateName
    expect(await state()).toBe('SHUTOFF')
    await startDomain(conn, dom)
    await suspendDomain(conn, dom)
    expect(await state()).toBe('PAUSED')
    await resumeDomain(conn, dom)
    await rebootDomain(conn, dom)
    await resetDomain(conn, dom)
    expect(await state()).toBe('RUNNING')
    await shutdownDomain(conn, dom)
    expect(await state()).toBe('SHUTOFF')
    // The test driver has no start flags; QEMU takes DomainCreateFlags.PAUSED and others.
    await startDomain(conn, dom, { flags: 0 })
    await managedSave(conn, dom)
    expect(await hasManagedSave(conn, dom)).toBe(true)
    expect(await state()).toBe('SHUTOFF')
    await startDomain(conn, dom)
    expect(await hasManagedSave(conn, dom)).toBe(false)
    const image = join(dir, 'scale-0002.save')
    await saveDomain(conn, dom, image)
    expect(await state()).toBe('SHUTOFF')
    await restoreDomain(conn, image)
    expect(await state()).toBe('RUNNING')
    await destroyDomain(conn, dom)
    expect(await state()).toBe('SHUTOFF')
  })
})
