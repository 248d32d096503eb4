/**
 * The client against transport faults a real daemon cannot produce: every failure must be
 * typed, fail every call in flight, and leave no socket, timer or listener behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect, type Connection } from '../src/api/connection'
import {
  ConnectionLostError,
  ProtocolError,
  RpcTimeoutError,
  TransportError,
  UnsupportedProcedureError,
} from '../src/rpc/errors'
import { connectUnix } from '../src/transport/unix'
import { FaultServer } from './fault-server'

let server: FaultServer

/** Handles and timers that are open right now, by type. */
function resources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap')
}

/** Lets pending closes and timers settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
}

/** Counts resources by type. */
function count(list: string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const r of list) m.set(r, (m.get(r) ?? 0) + 1)
  return m
}

/** No more sockets or timers open than before the test (other tests' timers may end). */
async function expectNoLeaks(): Promise<void> {
  await settle()
  const before = count(baseline)
  for (const [type, n] of count(resources())) {
    expect(`${type}: ${n}`).toBe(`${type}: ${Math.min(n, before.get(type) ?? 0)}`)
  }
}

let baseline: string[]
beforeEach(async () => {
  server = await FaultServer.start()
  await settle()
  baseline = resources()
})
afterEach(async () => {
  await server.close()
})

async function open(options: Parameters<typeof connect>[0] = {}): Promise<Connection> {
  return connect({ socketPath: server.path, name: 'test:///default', ...options })
}

/** Waits for every call to settle and returns the rejection reasons. */
async function reasons(calls: Promise<unknown>[]): Promise<unknown[]> {
  return (await Promise.allSettled(calls)).map((r) =>
    r.status === 'rejected' ? r.reason : 'resolved',
  )
}

describe('fault server: baseline', () => {
  it('opens, calls and closes, leaving nothing behind', async () => {
    const conn = await open()
    expect(await conn.hostname()).toBe('fault-server')
    expect(await conn.libVersion()).toBe('9.0.0')
    await expect(conn.remote.connectGetUri()).rejects.toBeInstanceOf(UnsupportedProcedureError)
    let closedWith: unknown = 'not called'
    conn.onClose((e) => (closedWith = e))
    await conn.close()
    expect(closedWith).toBeUndefined() // closed by us, not lost
    expect(conn.closed).toBe(true)
    await expectNoLeaks()
  })

  it('a missing socket is a TransportError carrying ENOENT', async () => {
    const err = await connectUnix(`${server.path}.missing`).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransportError)
    expect((err as TransportError).details['errno']).toBe('ENOENT')
  })
})

describe('fault server: faults', () => {
  it('garbage bytes: every call fails with ConnectionLostError caused by ProtocolError', async () => {
    const conn = await open()
    server.garbageAfter(0, new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n'))
    const calls = Array.from({ length: 10 }, () => conn.hostname())
    const errs = await reasons(calls)
    expect(errs.every((e) => e instanceof ConnectionLostError)).toBe(true)
    expect((errs[0] as Error).cause).toBeInstanceOf(ProtocolError)
    expect(conn.closed).toBe(true)
    await expectNoLeaks()
  })

  it('an oversized length word is a ProtocolError, raised before allocating', async () => {
    const conn = await open()
    server.oversizedAfter(0)
    const err = await conn.hostname().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionLostError)
    expect((err as Error).cause).toBeInstanceOf(ProtocolError)
    expect(((err as Error).cause as Error).message).toContain('33554437')
  })

  it('a stall: the deadline fires with RpcTimeoutError, the connection stays usable for closing', async () => {
    const conn = await open()
    server.stallAfter(0)
    const started = Date.now()
    const err = await conn.hostname({ timeoutMs: 150 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RpcTimeoutError)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(conn.closed).toBe(false)
    await conn.close() // CONNECT_CLOSE gets no answer either: close still completes
    await expectNoLeaks()
  })

  it('a stall: keepalive declares the peer dead and fails the calls in flight', async () => {
    const conn = await open({ keepalive: { intervalMs: 50, maxMissed: 2 } })
    server.stallAfter(0)
    const started = Date.now()
    const errs = await reasons([conn.hostname(), conn.libVersion()])
    expect(errs.every((e) => e instanceof ConnectionLostError)).toBe(true)
    expect((errs[0] as Error).message).toMatch(/keepalive/)
    expect(Date.now() - started).toBeLessThan(1000)
    await expectNoLeaks()
  })

  it('a half-close fails every call in flight at once', async () => {
    const conn = await open()
    server.halfCloseAfter(0)
    let lost: unknown
    conn.onClose((e) => (lost = e))
    const errs = await reasons(Array.from({ length: 20 }, () => conn.hostname()))
    expect(errs.every((e) => e instanceof ConnectionLostError)).toBe(true)
    expect(new Set(errs).size).toBe(1)
    expect(lost).toBe(errs[0])
    await expectNoLeaks()
  })

  it('a packet cut in half, then EOF', async () => {
    const conn = await open()
    server.truncateAfter(0)
    const err = await conn.hostname().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionLostError)
  })

  it('a stall during authentication: connect fails by its deadline and cleans up', async () => {
    server.stallAfter(0)
    const err = await open({ timeoutMs: 200 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RpcTimeoutError)
    expect((err as RpcTimeoutError).procedure).toBe('REMOTE_PROC_AUTH_LIST')
    await expectNoLeaks()
  })

  it('aborting connect during authentication rejects with the reason', async () => {
    server.stallAfter(0)
    const ac = new AbortController()
    const pending = open({ signal: ac.signal }).catch((e: unknown) => e)
    setTimeout(() => ac.abort(new Error('user cancelled')), 50)
    expect(((await pending) as Error).message).toBe('user cancelled')
    await expectNoLeaks()
  })
})
