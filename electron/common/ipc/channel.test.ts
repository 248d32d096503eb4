import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { event, method, service, type ServiceImpl } from '../contract/define'
import { Emitter } from '../lifecycle'
import { ChannelClient, createServiceClient } from './channel-client'
import { ChannelServer, ServiceRegistry } from './channel-server'
import { createMemoryTransportPair } from './memory-transport'

const echo = service('echo', {
  say: method(
    z.object({ text: z.string().max(10), times: z.number().int().min(1).default(1) }),
    z.string(),
  ),
  wait: method(z.object({ ms: z.number() }), z.literal('done')),
  fail: method(z.void(), z.void()),
  onTick: event(z.number()),
})

function setup() {
  const ticks = new Emitter<number>()
  const aborted: unknown[] = []
  const impl: ServiceImpl<typeof echo.spec> = {
    async say({ text, times }) {
      return text.repeat(times)
    },
    wait({ ms }, { signal }) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve('done'), ms)
        signal.addEventListener('abort', () => {
          clearTimeout(timer)
          aborted.push(signal.reason)
          reject(signal.reason)
        })
      })
    },
    async fail() {
      throw Object.assign(new Error('Domain not found: no domain with matching name'), {
        name: 'VirtError',
        code: 42,
      })
    },
    onTick: ticks.event,
  }
  const registry = new ServiceRegistry()
  registry.register(echo, impl)
  const [clientSide, serverSide] = createMemoryTransportPair()
  const server = new ChannelServer(serverSide, registry)
  const channel = new ChannelClient(clientSide)
  const api = createServiceClient(channel, echo)
  return { api, channel, server, ticks, aborted, clientSide }
}

let live: ReturnType<typeof setup> | undefined
afterEach(() => {
  live?.channel.dispose()
  live = undefined
})

describe('IPC channel', () => {
  it('calls a method with validated, defaulted input', async () => {
    live = setup()
    await expect(live.api.say({ text: 'ab', times: 3 })).resolves.toBe('ababab')
    await expect(live.api.say({ text: 'x' })).resolves.toBe('x')
  })

  it('refuses bad input with a clear ValidationError naming the field', async () => {
    live = setup()
    const bad = live.api.say({ text: 'far too long text', times: 0 })
    await expect(bad).rejects.toMatchObject({ name: 'ValidationError', code: 'invalid-input' })
    await expect(bad).rejects.toThrow(/echo\.say: text: .*10.*; times:/)
    // A request that bypasses the typed client is refused as well.
    await expect(live.channel.call('echo', 'say', { text: 42 })).rejects.toThrow(/text/)
  })

  it('refuses unknown methods and prototype keys', async () => {
    live = setup()
    await expect(live.channel.call('echo', 'nope', undefined)).rejects.toMatchObject({
      name: 'UnknownMethodError',
    })
    await expect(live.channel.call('echo', 'constructor', undefined)).rejects.toMatchObject({
      name: 'UnknownMethodError',
    })
    await expect(live.channel.call('ghost', 'say', {})).rejects.toThrow(/No method ghost\.say/)
  })

  it('carries an error from main with its name, code and message', async () => {
    live = setup()
    await expect(live.api.fail()).rejects.toMatchObject({
      name: 'VirtError',
      code: 42,
      message: 'Domain not found: no domain with matching name',
    })
  })

  it('cancels a call: rejects at once and aborts the work in main', async () => {
    live = setup()
    const ac = new AbortController()
    const call = live.api.wait({ ms: 10_000 }, { signal: ac.signal })
    await new Promise((r) => setTimeout(r, 10))
    ac.abort()
    await expect(call).rejects.toMatchObject({ name: 'CallCancelledError' })
    await new Promise((r) => setTimeout(r, 10))
    expect(live.aborted).toHaveLength(1)
    expect(live.server.liveCount).toBe(0)
  })

  it('times out a call on the client and tells main to stop', async () => {
    live = setup()
    await expect(live.api.wait({ ms: 10_000 }, { timeoutMs: 20 })).rejects.toMatchObject({
      name: 'CallTimeoutError',
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(live.aborted).toHaveLength(1)
  })

  it('fails every pending call at once when the channel closes', async () => {
    live = setup()
    const calls = [live.api.wait({ ms: 10_000 }), live.api.wait({ ms: 10_000 })]
    await new Promise((r) => setTimeout(r, 5))
    live.clientSide.close()
    for (const call of calls)
      await expect(call).rejects.toMatchObject({ name: 'ChannelClosedError' })
    await expect(live.api.say({ text: 'late' })).rejects.toMatchObject({
      name: 'ChannelClosedError',
    })
    expect(live.aborted).toHaveLength(2)
    expect(live.channel.liveCount).toBe(0)
  })

  it('delivers events to subscribers until they unsubscribe, leaking nothing', async () => {
    live = setup()
    const seen: number[] = []
    const sub = live.api.onTick((n) => seen.push(n))
    await new Promise((r) => setTimeout(r, 5))
    expect(live.ticks.listenerCount).toBe(1)
    live.ticks.fire(1)
    live.ticks.fire(2)
    await new Promise((r) => setTimeout(r, 5))
    sub.dispose()
    await new Promise((r) => setTimeout(r, 5))
    live.ticks.fire(3)
    await new Promise((r) => setTimeout(r, 5))
    expect(seen).toEqual([1, 2])
    expect(live.ticks.listenerCount).toBe(0)
    expect(live.server.liveCount).toBe(0)
    expect(live.channel.liveCount).toBe(0)
  })

  it('ignores malformed messages without crashing', async () => {
    live = setup()
    const [a, b] = createMemoryTransportPair()
    const registry = new ServiceRegistry()
    const server = new ChannelServer(b, registry)
    const replies: unknown[] = []
    a.onMessage((m) => replies.push(m))
    for (const junk of [null, 5, 'x', { t: 'req' }, { t: 'req', id: 1.5 }, { t: 'zap', id: 2 }]) {
      a.send(junk)
    }
    await new Promise((r) => setTimeout(r, 5))
    expect(replies).toEqual([
      expect.objectContaining({
        t: 'err',
        id: 2,
        error: expect.objectContaining({ name: 'ValidationError' }),
      }),
    ])
    server.dispose()
  })
})
