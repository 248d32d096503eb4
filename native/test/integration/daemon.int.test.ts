/**
 * The client against the real libvirtd of the test host (system daemon, read-only socket,
 * test driver through the daemon). Compared with virsh where it matters.
 */
import { execFileSync } from 'node:child_process'
import { hostname as osHostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Connection } from '../../src/api/connection'
import {
  ConnectionLostError,
  isNoDomain,
  isOperationDenied,
  UnsupportedProcedureError,
  VirtError,
} from '../../src/rpc/errors'
import { ErrorNumber } from '../../src/protocol/generated/flags.gen'
import { FaultServer } from '../fault-server'
import { testHost } from './test-host'

const host = testHost()

describe('system daemon (qemu:///system)', () => {
  let conn: Connection

  beforeAll(async () => {
    conn = await connect({ socketPath: host.systemSocket, name: 'qemu:///system' })
  })
  afterAll(async () => {
    await conn?.close()
  })

  it('opens without authentication as root and reports host name and version', async () => {
    expect(conn.authMethod).toBe('none')
    expect(await conn.hostname()).toBe(osHostname())
    const version = await conn.libVersion()
    expect(version).toMatch(/^\d+\.\d+\.\d+$/)
    const virsh = execFileSync('virsh', ['-c', 'qemu:///system', 'version', '--daemon'], {
      encoding: 'utf8',
    })
    expect(virsh).toContain(`Running against daemon: ${version}`)
    expect((await conn.remote.connectGetUri()).uri).toBe('qemu:///system')
  })

  it('lists the same domains as virsh, with their states', async () => {
    const ours = await conn.listAllDomains()
    const virsh = execFileSync('virsh', ['-c', 'qemu:///system', 'list', '--all', '--name'], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
    expect(ours.map((d) => d.name).sort()).toEqual(virsh.sort())
    for (const name of host.domains) expect(ours.map((d) => d.name)).toContain(name)
    for (const d of ours) {
      const uuid = execFileSync('virsh', ['-c', 'qemu:///system', 'domuuid', d.name], {
        encoding: 'utf8',
      }).trim()
      expect(d.uuid).toBe(uuid)
      const state = await conn.domainState(d.handle)
      expect(state.stateName).toMatch(/^[A-Z]+$/)
    }
  })

  it('pipelines 1,000 calls on one connection', async () => {
    const started = performance.now()
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => conn.remote.connectGetLibVersion()),
    )
    const ms = performance.now() - started
    expect(results).toHaveLength(1000)
    expect(new Set(results.map((r) => r.lib_ver)).size).toBe(1)
    expect(conn.rpc.pendingCount).toBe(0)
    expect(conn.rpc.unmatchedReplies).toBe(0)
    console.log(`1,000 pipelined connectGetLibVersion: ${ms.toFixed(1)} ms`)
  })

  it("a missing domain is the daemon's VIR_ERR_NO_DOMAIN", async () => {
    const err = await conn.remote
      .domainLookupByName({ name: 'virtdeck-no-such-domain' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VirtError)
    expect(isNoDomain(err)).toBe(true)
    expect((err as VirtError).message).toContain('virtdeck-no-such-domain')
  })

  it('a procedure newer than the daemon is UnsupportedProcedureError', async () => {
    const version = await conn.libVersion()
    const [major] = version.split('.').map(Number)
    if ((major ?? 0) >= 11) return // the daemon knows it
    const dom = (await conn.listAllDomains())[0]
    if (!dom) return
    const err = await conn.remote
      .domainGetAutostartOnce({ dom: dom.handle })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnsupportedProcedureError)
  })

  it('answers the daemon keepalive pings while idle', async () => {
    // Our own pings off, the daemon's on (we asked feature 10): it pings after 5 idle s.
    const idle = await connect({
      socketPath: host.systemSocket,
      name: 'qemu:///system',
      keepalive: { intervalMs: 0 },
    })
    try {
      const before = idle.rpc.packetsReceived
      await new Promise((r) => setTimeout(r, 6500))
      expect(idle.rpc.packetsReceived).toBeGreaterThan(before) // at least one PING came
      expect(await idle.hostname()).toBe(osHostname()) // and the daemon still talks to us
    } finally {
      await idle.close()
    }
  }, 20_000)

  it('dropping the socket fails every call in flight with ConnectionLostError', async () => {
    const victim = await connect({ socketPath: host.systemSocket, name: 'qemu:///system' })
    const calls = Array.from({ length: 200 }, () =>
      victim.remote.connectGetCapabilities().catch((e: unknown) => e),
    )
    victim.transport.destroy()
    const results = await Promise.all(calls)
    const lost = results.filter((r) => r instanceof ConnectionLostError)
    // Some replies may have raced in before the drop; every other call failed, typed.
    expect(lost.length + results.filter((r) => !(r instanceof Error)).length).toBe(200)
    expect(lost.length).toBeGreaterThan(0)
    expect(victim.closed).toBe(true)
    await expect(victim.hostname()).rejects.toBeInstanceOf(ConnectionLostError)
  })
})

describe('system daemon: resources', () => {
  it('open + close leaves no socket, timer or listener behind', async () => {
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    }
    await settle()
    const before = process.getActiveResourcesInfo().length
    for (let i = 0; i < 5; i++) {
      const conn = await connect({ socketPath: host.systemSocket, name: 'qemu:///system' })
      await conn.hostname()
      await conn.close()
    }
    await settle()
    expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(before)
  })
})

describe('system daemon behind the fault proxy', () => {
  it('a real session, then the proxy stalls: keepalive declares the peer dead', async () => {
    const proxy = await FaultServer.start({ upstream: host.systemSocket })
    try {
      const conn = await connect({
        socketPath: proxy.path,
        name: 'qemu:///system',
        keepalive: { intervalMs: 100, maxMissed: 3 },
      })
      expect(await conn.hostname()).toBe(osHostname())
      expect(proxy.framesFromClient).toBeGreaterThanOrEqual(3) // auth, open, hostname
      proxy.stallAfter(0)
      const started = Date.now()
      const err = await conn.remote.connectGetCapabilities().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ConnectionLostError)
      expect((err as Error).message).toMatch(/keepalive/)
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      await proxy.close()
    }
  })

  it('asks the daemon for its pings at the first keepalive check, not on the open', async () => {
    const proxy = await FaultServer.start({ upstream: host.systemSocket })
    try {
      const conn = await connect({
        socketPath: proxy.path,
        name: 'qemu:///system',
        keepalive: { intervalMs: 200, maxMissed: 3 },
      })
      expect(proxy.framesFromClient).toBe(2) // AUTH_LIST, CONNECT_OPEN
      await new Promise((r) => setTimeout(r, 300))
      expect(proxy.framesFromClient).toBeGreaterThanOrEqual(3) // + SUPPORTS_FEATURE(10)
      expect(conn.rpc.pendingCount).toBe(0) // answered
      expect(await conn.hostname()).toBe(osHostname())
      await conn.close()
    } finally {
      await proxy.close()
    }
  })

  it('a real session, then garbage mid-stream: every call fails typed', async () => {
    const proxy = await FaultServer.start({ upstream: host.systemSocket })
    try {
      const conn = await connect({ socketPath: proxy.path, name: 'qemu:///system' })
      proxy.garbageAfter(10, new Uint8Array(64).fill(0xee))
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, () => conn.remote.connectGetLibVersion()),
      )
      const ok = results.filter((r) => r.status === 'fulfilled').length
      const lost = results.filter(
        (r) => r.status === 'rejected' && r.reason instanceof ConnectionLostError,
      ).length
      expect(ok).toBe(10)
      expect(lost).toBe(90)
    } finally {
      await proxy.close()
    }
  })
})

describe('read-only socket', () => {
  it("refuses a write call with the daemon's own error", async () => {
    const ro = await connect({ socketPath: host.systemSocketRo, name: 'qemu:///system' })
    try {
      expect((await ro.listAllDomains()).length).toBeGreaterThanOrEqual(0) // reading works
      const err = await ro.remote
        .domainDefineXmlFlags({ xml: '<domain type="qemu"/>', flags: 0 })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(VirtError)
      expect((err as VirtError).code).toBe(ErrorNumber.OPERATION_DENIED)
      expect(isOperationDenied(err)).toBe(true)
      expect((err as VirtError).message).toMatch(/read only/)
    } finally {
      await ro.close()
    }
  })
})

describe('test driver through the daemon', () => {
  it(`lists the scale file's ${host.scaleCount} domains`, async () => {
    const conn = await connect({ socketPath: host.systemSocket, name: `test://${host.scaleXml}` })
    try {
      expect((await conn.remote.connectGetUri()).uri).toBe(`test://${host.scaleXml}`)
      const domains = await conn.listAllDomains()
      expect(domains).toHaveLength(host.scaleCount)
      expect(new Set(domains.map((d) => d.uuid)).size).toBe(host.scaleCount)
      const states = await Promise.all(domains.map((d) => conn.domainState(d.handle)))
      const running = states.filter((s) => s.stateName === 'RUNNING').length
      const shutOff = states.filter((s) => s.stateName === 'SHUTOFF').length
      expect(running + shutOff).toBe(host.scaleCount)
      expect(running).toBeGreaterThan(0)
    } finally {
      await conn.close()
    }
  })
})
