import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { okReply, PacketSink } from '../../test/packets'
import { KEEPALIVE_PING } from '../../test/vectors/readme-packets'
import { KEEPALIVE_PROGRAM, REMOTE_PROGRAM } from '../protocol/generated/constants.gen'
import { decodeUint, encodeVoid } from '../xdr/codecs'
import { RpcClient } from './client'
import { ConnectionLostError } from './errors'
import { Keepalive, PONG_PACKET } from './keepalive'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function setup(options = { intervalMs: 1000, maxMissed: 3 }, negotiate?: () => Promise<unknown>) {
  const sink = new PacketSink()
  const writes: Uint8Array[] = []
  const rpc = new RpcClient({
    write: (b) => {
      writes.push(b)
      sink.write(b)
    },
  })
  const ka = new Keepalive(rpc, options, negotiate)
  const pings = () => sink.take().filter((p) => p.header.program === KEEPALIVE_PROGRAM)
  return { rpc, ka, sink, writes, pings }
}

describe('Keepalive', () => {
  it('answers a PING with a PONG at once, without its own timer', () => {
    const { rpc, writes } = setup({ intervalMs: 0, maxMissed: 5 })
    rpc.receive(KEEPALIVE_PING)
    expect(writes).toEqual([PONG_PACKET])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('answers pings while a call is outstanding', async () => {
    const { rpc, sink, writes } = setup({ intervalMs: 0, maxMissed: 5 })
    const call = rpc.call(REMOTE_PROGRAM, 1, 157, undefined, encodeVoid, decodeUint)
    const [p] = sink.take()
    writes.length = 0
    rpc.receive(KEEPALIVE_PING)
    expect(writes).toEqual([PONG_PACKET])
    rpc.receive(okReply(p!.header, (w) => w.uint(1)))
    await expect(call).resolves.toBe(1)
  })

  it('pings a silent peer and declares it dead after maxMissed pings', async () => {
    const { rpc, pings } = setup()
    const pending = rpc
      .call(REMOTE_PROGRAM, 1, 157, undefined, encodeVoid, decodeUint)
      .catch((e: unknown) => e)
    pings() // drop the CALL
    vi.advanceTimersByTime(3000)
    expect(pings().map((p) => p.header.procedure)).toEqual([1, 1, 1])
    expect(rpc.closed).toBe(false)
    vi.advanceTimersByTime(1000)
    expect(rpc.closed).toBe(true)
    const err = await pending
    expect(err).toBeInstanceOf(ConnectionLostError)
    expect((err as Error).message).toMatch(/keepalive: no answer to 3 pings/)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('any packet from the peer resets the count', () => {
    const { rpc, ka, pings } = setup()
    vi.advanceTimersByTime(2000)
    expect(ka.missed).toBe(2)
    rpc.receive(PONG_PACKET) // their answer (or any other packet)
    vi.advanceTimersByTime(1000)
    expect(ka.missed).toBe(0)
    vi.advanceTimersByTime(3000)
    expect(rpc.closed).toBe(false)
    expect(pings()).toHaveLength(5)
  })

  it('asks the daemon for its pings once, at the first check, and not if our pings are off', async () => {
    let asked = 0
    const negotiate = () => {
      asked++
      return Promise.reject(new ConnectionLostError('gone')) // a failure is not fatal
    }
    setup(undefined, negotiate)
    expect(asked).toBe(0) // nothing extra on the open
    vi.advanceTimersByTime(1000)
    expect(asked).toBe(1)
    vi.advanceTimersByTime(5000)
    expect(asked).toBe(1)
    await Promise.resolve()
    setup({ intervalMs: 0, maxMissed: 5 }, negotiate)
    vi.advanceTimersByTime(10_000)
    expect(asked).toBe(1)
  })

  it('stops its timer when disposed and when the connection is lost', async () => {
    const a = setup()
    a.ka.dispose()
    expect(vi.getTimerCount()).toBe(0)
    const b = setup()
    expect(b.ka.active).toBe(true)
    b.rpc.connectionLost('gone')
    expect(b.ka.active).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
  })
})
