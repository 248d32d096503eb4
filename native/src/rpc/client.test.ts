import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorReply, okReply, packet, PacketSink, remoteError } from '../../test/packets'
import { LIFECYCLE_EVENT, REPLY_WITH_FDS } from '../../test/vectors/readme-packets'
import { REMOTE_PROGRAM } from '../protocol/generated/constants.gen'
import { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import { encodeConnectGetHostnameRet } from '../protocol/generated/remote-codecs.gen'
import { decodeInt, decodeUint, decodeVoid, encodeVoid } from '../xdr/codecs'
import { XdrError } from '../xdr/xdr-error'
import { RpcClient } from './client'
import {
  ConnectionLostError,
  isNoDomain,
  ProtocolError,
  RpcTimeoutError,
  UnsupportedProcedureError,
  VirtError,
} from './errors'
import { MessageType } from './packet'

function setup(options: { defaultTimeoutMs?: number } = {}) {
  const sink = new PacketSink()
  const destroy = vi.fn()
  const rpc = new RpcClient({ write: sink.write, destroy, ...options })
  /** A call of procedure `proc` whose reply body is one unsigned int. */
  const callUint = (proc: number, opts?: { signal?: AbortSignal; timeoutMs?: number }) =>
    rpc.call(REMOTE_PROGRAM, 1, proc, undefined, encodeVoid, decodeUint, opts)
  return { sink, rpc, destroy, callUint }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('RpcClient calls', () => {
  it('numbers calls from serial 1 and matches replies in any order', async () => {
    const { sink, rpc, callUint } = setup()
    const calls = [callUint(157), callUint(59), callUint(4)]
    const sent = sink.take()
    expect(sent.map((p) => p.header.serial)).toEqual([1, 2, 3])
    expect(sent.every((p) => p.header.type === MessageType.CALL && p.header.status === 0)).toBe(
      true,
    )
    // Answer in reverse order, each with its serial number as the body.
    for (const p of [...sent].reverse()) {
      rpc.receive(okReply(p.header, (w) => w.uint(p.header.serial * 10)))
    }
    await expect(Promise.all(calls)).resolves.toEqual([10, 20, 30])
    expect(rpc.pendingCount).toBe(0)
  })

  it('turns an ERROR reply into a VirtError with code name, domain and level', async () => {
    const { sink, rpc, callUint } = setup()
    const call = callUint(23)
    const [p] = sink.take()
    rpc.receive(errorReply(p!.header, remoteError(42, 'Domain not found: x', 10)))
    const err = await call.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VirtError)
    expect(err).toMatchObject({
      code: 42,
      codeName: 'VIR_ERR_NO_DOMAIN',
      domain: 10,
      domainName: 'VIR_FROM_QEMU',
      level: 2,
      message: 'Domain not found: x',
      procedure: 'REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME',
    })
    expect(isNoDomain(err)).toBe(true)
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name: 'VirtError', code: 42 })
  })

  it('turns "unknown procedure" into UnsupportedProcedureError', async () => {
    const { sink, rpc, callUint } = setup()
    const call = callUint(444)
    rpc.receive(errorReply(sink.take()[0]!.header, remoteError(39, 'unknown procedure: 444', 7)))
    const err = await call.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnsupportedProcedureError)
    expect((err as Error).cause).toBeInstanceOf(VirtError)
    expect(err).toMatchObject({ procedure: 444, procedureName: 'REMOTE_PROC_NETWORK_SET_METADATA' })
  })

  it('rejects a reply body that does not decode, and keeps the connection', async () => {
    const { sink, rpc, callUint } = setup()
    const call = callUint(157)
    rpc.receive(okReply(sink.take()[0]!.header)) // empty body, an uint expected
    await expect(call).rejects.toBeInstanceOf(XdrError)
    const next = callUint(157)
    rpc.receive(okReply(sink.take()[0]!.header, (w) => w.uint(7)))
    await expect(next).resolves.toBe(7)
  })

  it('rejects trailing bytes after a reply body', async () => {
    const { sink, rpc, callUint } = setup()
    const call = callUint(157)
    rpc.receive(okReply(sink.take()[0]!.header, (w) => (w.uint(1), w.uint(2))))
    await expect(call).rejects.toThrow(/trailing/)
  })

  it('fails an unencodable call locally without sending anything', async () => {
    const { sink, rpc } = setup()
    const call = rpc.call(REMOTE_PROGRAM, 1, 5, 2 ** 40, (w, v: number) => w.int(v), decodeVoid)
    await expect(call).rejects.toBeInstanceOf(XdrError)
    expect(sink.take()).toHaveLength(0)
    expect(rpc.pendingCount).toBe(0)
  })

  it('drives the generated methods', async () => {
    const { sink, rpc } = setup()
    const remote = new RemoteCalls(rpc)
    const hostname = remote.connectGetHostname()
    const [p] = sink.take()
    expect(p!.header.procedure).toBe(59)
    rpc.receive(okReply(p!.header, (w) => encodeConnectGetHostnameRet(w, { hostname: 'vm' })))
    await expect(hostname).resolves.toEqual({ hostname: 'vm' })
  })

  it('refuses fd-passing procedures without sending', async () => {
    const { sink, rpc } = setup()
    const remote = new RemoteCalls(rpc)
    const dom = { name: 'x', uuid: new Uint8Array(16), id: 1 }
    await expect(remote.domainOpenGraphicsFd({ dom, idx: 0, flags: 0 })).rejects.toBeInstanceOf(
      UnsupportedProcedureError,
    )
    expect(sink.take()).toHaveLength(0)
  })
})

describe('RpcClient cancellation and deadlines', () => {
  it('abort rejects at once and swallows the late reply', async () => {
    const { sink, rpc, callUint } = setup()
    const ac = new AbortController()
    const call = callUint(157, { signal: ac.signal })
    const [p] = sink.take()
    ac.abort(new Error('user gave up'))
    await expect(call).rejects.toThrow('user gave up')
    expect(rpc.pendingCount).toBe(1) // the serial stays to recognise the late reply
    rpc.receive(okReply(p!.header, (w) => w.uint(1)))
    expect(rpc.pendingCount).toBe(0)
    expect(rpc.unmatchedReplies).toBe(0)
    expect(rpc.closed).toBe(false)
  })

  it('an already aborted signal sends nothing', async () => {
    const { sink, callUint } = setup()
    const call = callUint(157, { signal: AbortSignal.abort() })
    await expect(call).rejects.toMatchObject({ name: 'AbortError' })
    expect(sink.take()).toHaveLength(0)
  })

  it('a deadline rejects with RpcTimeoutError and keeps the serial', async () => {
    vi.useFakeTimers()
    const { sink, rpc, callUint } = setup()
    const call = callUint(157, { timeoutMs: 1000 })
    const caught = call.catch((e: unknown) => e)
    vi.advanceTimersByTime(999)
    expect(rpc.pendingCount).toBe(1)
    vi.advanceTimersByTime(1)
    const err = await caught
    expect(err).toBeInstanceOf(RpcTimeoutError)
    expect(err).toMatchObject({ procedure: 'REMOTE_PROC_CONNECT_GET_LIB_VERSION', timeoutMs: 1000 })
    rpc.receive(okReply(sink.take()[0]!.header, (w) => w.uint(1)))
    expect(rpc.pendingCount).toBe(0)
  })

  it('applies the default deadline, and clears timers when replies come', async () => {
    vi.useFakeTimers()
    const { sink, rpc, callUint } = setup({ defaultTimeoutMs: 500 })
    const call = callUint(157)
    rpc.receive(okReply(sink.take()[0]!.header, (w) => w.uint(9)))
    await expect(call).resolves.toBe(9)
    expect(vi.getTimerCount()).toBe(0)
    const slow = callUint(157).catch((e: unknown) => e)
    vi.advanceTimersByTime(500)
    expect(await slow).toBeInstanceOf(RpcTimeoutError)
  })

  it('removes its abort listener once the call settles', async () => {
    const { sink, rpc, callUint } = setup()
    const ac = new AbortController()
    const remove = vi.spyOn(ac.signal, 'removeEventListener')
    const call = callUint(157, { signal: ac.signal })
    rpc.receive(okReply(sink.take()[0]!.header, (w) => w.uint(1)))
    await call
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function))
  })
})

describe('RpcClient connection loss', () => {
  it('fails every call in flight at once, and every later call', async () => {
    const { rpc, callUint, destroy } = setup()
    const calls = Array.from({ length: 50 }, () => callUint(157).catch((e: unknown) => e))
    const onClose = vi.fn()
    rpc.onClose(onClose)
    const stream = { packet: vi.fn(), lost: vi.fn() }
    rpc.onStream(7, stream)
    rpc.connectionLost('socket closed')
    const errors = await Promise.all(calls)
    expect(errors.every((e) => e instanceof ConnectionLostError)).toBe(true)
    expect(new Set(errors).size).toBe(1) // one error object, rejected at once
    expect(onClose).toHaveBeenCalledTimes(1)
    expect(stream.lost).toHaveBeenCalledTimes(1)
    expect(destroy).toHaveBeenCalledTimes(1)
    await expect(callUint(157)).rejects.toBeInstanceOf(ConnectionLostError)
    rpc.connectionLost('again')
    expect(onClose).toHaveBeenCalledTimes(1)
  })

  it('treats a bad length word as a protocol error that drops the connection', async () => {
    const { rpc, callUint, destroy } = setup()
    const call = callUint(157).catch((e: unknown) => e)
    rpc.receive(Uint8Array.of(0xff, 0xff, 0xff, 0xff))
    const err = await call
    expect(err).toBeInstanceOf(ConnectionLostError)
    expect((err as Error).cause).toBeInstanceOf(ProtocolError)
    expect(destroy).toHaveBeenCalledTimes(1)
  })

  it('drops the connection on a reply with file descriptors', async () => {
    const { rpc, callUint } = setup()
    const call = callUint(157).catch((e: unknown) => e)
    rpc.receive(REPLY_WITH_FDS)
    expect(((await call) as Error).cause).toBeInstanceOf(ProtocolError)
  })

  it('drops the connection when a reply names another procedure than its call', async () => {
    const { sink, rpc, callUint } = setup()
    const call = callUint(157).catch((e: unknown) => e)
    const [p] = sink.take()
    rpc.receive(okReply({ ...p!.header, procedure: 59 }))
    expect(((await call) as Error).cause).toBeInstanceOf(ProtocolError)
  })
})

describe('RpcClient routing', () => {
  it('routes MESSAGE packets by program and procedure, whatever their serial', () => {
    const { rpc } = setup()
    const seen: number[] = []
    const sub = rpc.onMessage(REMOTE_PROGRAM, 318, (p) => seen.push(p.header.serial))
    rpc.receive(LIFECYCLE_EVENT)
    expect(seen).toEqual([1])
    sub.dispose()
    rpc.receive(LIFECYCLE_EVENT)
    expect(seen).toEqual([1])
  })

  it('routes STREAM packets by serial', () => {
    const { rpc } = setup()
    const handler = { packet: vi.fn(), lost: vi.fn() }
    const sub = rpc.onStream(62, handler)
    const header = { program: REMOTE_PROGRAM, version: 1, procedure: 209, serial: 62 }
    rpc.receive(
      packet({ ...header, type: MessageType.STREAM, status: 2 }, (w) => w.raw(Uint8Array.of(1))),
    )
    rpc.receive(packet({ ...header, serial: 63, type: MessageType.STREAM, status: 2 }))
    expect(handler.packet).toHaveBeenCalledTimes(1)
    expect([...handler.packet.mock.calls[0]![0].body]).toEqual([1])
    sub.dispose()
    expect(() => rpc.onStream(62, handler)).not.toThrow()
  })

  it('a throwing listener does not break the reader', async () => {
    const errors: unknown[] = []
    const sink = new PacketSink()
    const rpc = new RpcClient({ write: sink.write })
    process.once('uncaughtException', (e) => errors.push(e))
    rpc.onMessage(REMOTE_PROGRAM, 318, () => {
      throw new Error('listener bug')
    })
    rpc.receive(LIFECYCLE_EVENT)
    const call = rpc.call(REMOTE_PROGRAM, 1, 157, undefined, encodeVoid, decodeInt)
    rpc.receive(okReply(sink.take()[0]!.header, (w) => w.int(3)))
    await expect(call).resolves.toBe(3)
    expect(rpc.closed).toBe(false)
    await new Promise((r) => setTimeout(r, 0))
    expect(errors).toHaveLength(1)
  })
})
