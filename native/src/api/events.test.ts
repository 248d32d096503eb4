import { describe, expect, it, vi } from 'vitest'
import { errorReply, okReply, packet, PacketSink, remoteError } from '../../test/packets'
import { REMOTE_PROGRAM } from '../protocol/generated/constants.gen'
import {
  decodeConnectDomainEventCallbackDeregisterAnyArgs,
  decodeConnectDomainEventCallbackRegisterAnyArgs,
  encodeDomainEventCallbackLifecycleMsg,
} from '../protocol/generated/remote-codecs.gen'
import { RpcClient } from '../rpc/client'
import { ConnectionLostError, VirtError } from '../rpc/errors'
import { MessageStatus, MessageType, type Packet } from '../rpc/packet'
import { XdrReader } from '../xdr/reader'
import type { DomainLifecycleEvent } from './event-types'
import { EventHub, forDomain } from './events'

function setup() {
  const sink = new PacketSink()
  const rpc = new RpcClient({ write: sink.write })
  const hub = new EventHub(rpc)
  /** Calls the hub sent since the last look, by procedure number. */
  const calls = (): Packet[] => sink.take()
  return { sink, rpc, hub, calls }
}

/** The daemon's reply to a register call: `{ int callbackID }`. */
function registered(call: Packet, callbackID: number): Uint8Array {
  return okReply(call.header, (w) => w.int(callbackID))
}

/** A DOMAIN_EVENT_CALLBACK_LIFECYCLE message (serial 1, as the daemon sends events). */
function lifecycle(callbackID: number, name: string, event = 2, detail = 0): Uint8Array {
  const header = { program: REMOTE_PROGRAM, version: 1, procedure: 318, serial: 1 }
  return packet({ ...header, type: MessageType.MESSAGE, status: MessageStatus.OK }, (w) =>
    encodeDomainEventCallbackLifecycleMsg(w, {
      callbackID,
      msg: { dom: { name, uuid: new Uint8Array(16).fill(name.length), id: 1 }, event, detail },
    }),
  )
}

const flush = () => new Promise((r) => setImmediate(r))
const names = (events: DomainLifecycleEvent[]) => events.map((e) => e.domain.name)

describe('EventHub registration', () => {
  it('registers once per kind, fans out, filters locally, deregisters after the last', async () => {
    const { rpc, hub, calls } = setup()
    const a: DomainLifecycleEvent[] = []
    const b: DomainLifecycleEvent[] = []
    const subA = hub.onDomainLifecycle((e) => a.push(e))
    const subB = hub.onDomainLifecycle((e) => b.push(e), { where: forDomain('vm2') })
    await flush()
    const sent = calls()
    expect(sent.map((p) => p.header.procedure)).toEqual([316]) // one registration
    const args = decodeConnectDomainEventCallbackRegisterAnyArgs(new XdrReader(sent[0]!.body))
    expect(args).toEqual({ eventID: 0, dom: null }) // all domains
    rpc.receive(registered(sent[0]!, 42))
    await Promise.all([subA.ready, subB.ready])
    expect(hub.registrations).toBe(1)

    rpc.receive(lifecycle(42, 'vm1'))
    rpc.receive(lifecycle(42, 'vm2', 3, 0))
    rpc.receive(lifecycle(41, 'vm3')) // another registration's id: not ours
    expect(names(a)).toEqual(['vm1', 'vm2'])
    expect(names(b)).toEqual(['vm2'])
    expect(b[0]).toMatchObject({ eventName: 'SUSPENDED', detailName: 'PAUSED' })

    subA.dispose()
    await flush()
    expect(calls()).toEqual([]) // B still listens
    subB.dispose()
    await flush()
    const dereg = calls()
    expect(dereg.map((p) => p.header.procedure)).toEqual([317])
    const d = decodeConnectDomainEventCallbackDeregisterAnyArgs(new XdrReader(dereg[0]!.body))
    expect(d.callbackID).toBe(42)
    rpc.receive(okReply(dereg[0]!.header))
    await flush()
    expect(hub.registrations).toBe(0)
    expect(hub.subscribers).toBe(0)
    rpc.receive(lifecycle(42, 'late'))
    expect(a).toHaveLength(2)
  })

  it('delivers events that arrive in the same read as the register reply', async () => {
    const { rpc, hub, calls } = setup()
    const seen: DomainLifecycleEvent[] = []
    hub.onDomainLifecycle((e) => seen.push(e))
    await flush()
    const [call] = calls()
    rpc.receive(Buffer.concat([registered(call!, 7), lifecycle(7, 'first'), lifecycle(8, 'x')]))
    await flush()
    expect(names(seen)).toEqual(['first'])
  })

  it('a refused registration ends its subscribers with the VirtError', async () => {
    const { rpc, hub, calls } = setup()
    const onEnd = vi.fn()
    const sub = hub.onDomainLifecycle(() => {}, { onEnd })
    const iter = hub.domainLifecycle()
    await flush()
    const [call] = calls()
    rpc.receive(errorReply(call!.header, remoteError(8, 'event callback already tracked')))
    await expect(sub.ready).rejects.toBeInstanceOf(VirtError)
    expect(onEnd).toHaveBeenCalledWith(expect.any(VirtError))
    await expect(iter.next()).rejects.toBeInstanceOf(VirtError)
    expect(hub.subscribers).toBe(0)
  })

  it('an unsubscribe during the register call deregisters once the id is known', async () => {
    const { rpc, hub, calls } = setup()
    const sub = hub.onDomainReboot(() => {})
    await flush()
    const [reg] = calls()
    expect(reg!.header.procedure).toBe(316)
    sub.dispose()
    rpc.receive(registered(reg!, 5))
    await flush()
    const [dereg] = calls()
    expect(dereg!.header.procedure).toBe(317)
  })

  it('runs register and deregister calls of one kind in order', async () => {
    const { rpc, hub, calls } = setup()
    const first = hub.onDomainLifecycle(() => {})
    await flush()
    rpc.receive(registered(calls()[0]!, 1))
    await first.ready
    first.dispose()
    await flush()
    const [dereg] = calls()
    expect(dereg!.header.procedure).toBe(317)
    const second = hub.onDomainLifecycle(() => {})
    await flush()
    expect(calls()).toEqual([]) // waits: the daemon still has callback 1
    rpc.receive(okReply(dereg!.header))
    await flush()
    const [reg] = calls()
    expect(reg!.header.procedure).toBe(316)
    rpc.receive(registered(reg!, 2))
    await expect(second.ready).resolves.toBeUndefined()
  })

  it('network, storage pool and connection-close kinds use their own procedures', async () => {
    const { rpc, hub, calls } = setup()
    hub.onNetworkLifecycle(() => {})
    hub.onStoragePoolLifecycle(() => {})
    const closed = hub.connectionClosed()
    await flush()
    const sent = calls()
    expect(sent.map((p) => p.header.procedure).sort()).toEqual([313, 360, 368])
    const close = sent.find((p) => p.header.procedure === 360)!
    rpc.receive(okReply(close.header)) // CONNECT_REGISTER_CLOSE_CALLBACK: no ret
    await closed.ready
    const header = { program: REMOTE_PROGRAM, version: 1, procedure: 362, serial: 1 }
    rpc.receive(
      packet({ ...header, type: MessageType.MESSAGE, status: 0 }, (w) => w.int(1)), // reason EOF
    )
    expect(await closed.next()).toEqual({ value: { reason: 1, reasonName: 'EOF' }, done: false })
  })

  it('counts and drops event messages that do not decode', async () => {
    const { rpc, hub, calls } = setup()
    const seen = vi.fn()
    hub.onDomainLifecycle(seen)
    await flush()
    rpc.receive(registered(calls()[0]!, 3))
    await flush()
    const header = { program: REMOTE_PROGRAM, version: 1, procedure: 318, serial: 1 }
    rpc.receive(packet({ ...header, type: MessageType.MESSAGE, status: 0 }, (w) => w.int(3)))
    expect(hub.malformedEvents).toBe(1)
    expect(seen).not.toHaveBeenCalled()
    expect(rpc.closed).toBe(false)
  })
})

describe('EventHub iteration and endings', () => {
  it('an iterator yields events and ends quietly when its signal aborts', async () => {
    const { rpc, hub, calls } = setup()
    const ac = new AbortController()
    const iter = hub.domainLifecycle({ signal: ac.signal })
    await flush()
    rpc.receive(registered(calls()[0]!, 9))
    await iter.ready
    rpc.receive(lifecycle(9, 'a'))
    rpc.receive(lifecycle(9, 'b'))
    const seen: string[] = []
    for await (const e of iter) {
      seen.push(e.domain.name)
      if (seen.length === 2) ac.abort()
    }
    expect(seen).toEqual(['a', 'b'])
    await flush()
    expect(calls().map((p) => p.header.procedure)).toEqual([317])
  })

  it('connection loss ends callbacks and iterators with the ConnectionLostError', async () => {
    const { rpc, hub, calls } = setup()
    const onEnd = vi.fn()
    hub.onDomainLifecycle(() => {}, { onEnd })
    const iter = hub.domainLifecycle()
    await flush()
    rpc.receive(registered(calls()[0]!, 4))
    await iter.ready
    rpc.receive(lifecycle(4, 'before'))
    rpc.connectionLost('socket closed')
    expect(onEnd).toHaveBeenCalledWith(expect.any(ConnectionLostError))
    expect((await iter.next()).value?.domain.name).toBe('before') // what it held first
    await expect(iter.next()).rejects.toBeInstanceOf(ConnectionLostError)
    expect(hub.subscribers).toBe(0)
    expect(hub.registrations).toBe(0)
    const late = hub.onDomainLifecycle(() => {})
    await expect(late.ready).rejects.toBeInstanceOf(ConnectionLostError)
  })

  it('close() ends subscriptions quietly and deregisters them', async () => {
    const { rpc, hub, calls } = setup()
    const onEnd = vi.fn()
    hub.onDomainLifecycle(() => {}, { onEnd })
    const iter = hub.networkLifecycle()
    await flush()
    for (const [i, p] of calls().entries()) rpc.receive(registered(p, i + 1))
    await iter.ready
    const closing = hub.close()
    await flush()
    const dereg = calls()
    expect(dereg.map((p) => p.header.procedure).sort()).toEqual([314, 317])
    for (const p of dereg) rpc.receive(okReply(p.header))
    await closing
    expect(onEnd).toHaveBeenCalledWith(undefined)
    expect(await iter.next()).toEqual({ value: undefined, done: true })
    const late = hub.onDomainLifecycle(() => {})
    await expect(late.ready).rejects.toBeInstanceOf(ConnectionLostError)
  })

  it('a listener that throws does not stop the others', async () => {
    const { rpc, hub, calls } = setup()
    const errors: unknown[] = []
    const onUncaught = (e: unknown) => errors.push(e)
    process.on('uncaughtException', onUncaught)
    try {
      const seen = vi.fn()
      hub.onDomainLifecycle(() => {
        throw new Error('listener bug')
      })
      hub.onDomainLifecycle(seen)
      await flush()
      rpc.receive(registered(calls()[0]!, 1))
      await flush()
      rpc.receive(lifecycle(1, 'x'))
      await flush()
      expect(seen).toHaveBeenCalledTimes(1)
      expect(errors).toHaveLength(1)
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })
})
