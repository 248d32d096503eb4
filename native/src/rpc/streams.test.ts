import { once } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { errorReply, okReply, packet, PacketSink, remoteError } from '../../test/packets'
import { REMOTE_PROGRAM } from '../protocol/generated/constants.gen'
import {
  decodeDomainScreenshotRet,
  encodeDomainScreenshotRet,
  encodeRemoteError,
} from '../protocol/generated/remote-codecs.gen'
import { encodeVoid } from '../xdr/codecs'
import type { CallOptions } from './caller'
import { RpcClient } from './client'
import { ConnectionLostError, ProtocolError, RpcTimeoutError, VirtError } from './errors'
import { MessageStatus, MessageType, type Packet, type PacketHeader } from './packet'
import { openStream } from './open-stream'
import { StreamClosedError, StreamOverflowError } from './stream-errors'
import type { StreamDirection, StreamFlowControl, StreamOptions, VirStream } from './streams'

const { CONTINUE, OK, ERROR } = MessageStatus

/** Opens a stream of DOMAIN_SCREENSHOT (211) against a client whose daemon we play. */
function setup(direction: StreamDirection = 'read', options: StreamOptions & CallOptions = {}) {
  const sink = new PacketSink()
  const rpc = new RpcClient({ write: sink.write })
  const opening = openStream(
    rpc,
    {
      program: REMOTE_PROGRAM,
      version: 1,
      procedure: 211,
      args: undefined,
      encodeArgs: encodeVoid,
      decodeRet: decodeDomainScreenshotRet,
      direction,
    },
    options,
  )
  const call = sink.take()[0]!.header
  /** The daemon's REPLY that opens the stream. */
  const reply = okReply(call, (w) => encodeDomainScreenshotRet(w, { mime: 'image/png' }))
  /** A STREAM packet of this stream from the daemon. */
  const stream = (status: number, body?: Uint8Array) =>
    packet({ ...call, type: MessageType.STREAM, status }, body && ((w) => w.raw(body)))
  /** What the client sent since the last look, as (type, status, body length). */
  const sent = () => sink.take().map(summary)
  return { sink, rpc, opening, call, reply, stream, sent }
}

function summary(p: Packet): string {
  const name = p.header.type === MessageType.STREAM ? 'STREAM' : `type${p.header.type}`
  const status = ['OK', 'ERROR', 'CONTINUE'][p.header.status] ?? p.header.status
  return `${name}/${status}/${p.body.byteLength}`
}

function collect(s: VirStream): Buffer[] {
  const chunks: Buffer[] = []
  s.on('data', (c: Buffer) => chunks.push(c))
  return chunks
}

const tick = () => new Promise((r) => setImmediate(r))

describe('a download stream (screenshot)', () => {
  it('reads data, finishes on the empty CONTINUE, ends on the daemon OK', async () => {
    const d = setup()
    d.rpc.receive(d.reply)
    const { stream, ret } = await d.opening
    expect(ret.mime).toBe('image/png')
    expect(stream.procedure).toBe('REMOTE_PROC_DOMAIN_SCREENSHOT')
    const chunks = collect(stream)
    const ended = vi.fn()
    stream.on('end', ended)
    d.rpc.receive(d.stream(CONTINUE, Buffer.from('hello ')))
    d.rpc.receive(d.stream(CONTINUE, Buffer.from('world')))
    d.rpc.receive(d.stream(CONTINUE)) // end of data
    expect(d.sent()).toEqual(['STREAM/OK/0']) // our finish
    await tick()
    expect(ended).not.toHaveBeenCalled() // not before the daemon confirms
    d.rpc.receive(d.stream(OK))
    await once(stream, 'close')
    expect(ended).toHaveBeenCalledTimes(1)
    expect(Buffer.concat(chunks).toString()).toBe('hello world')
    expect(stream.isClosed).toBe(true)
    expect(d.sent()).toEqual([]) // nothing after the finish
  })

  it('reads the same bytes whatever way the daemon byte stream is split', async () => {
    const d0 = setup()
    const parts = [
      d0.reply,
      d0.stream(CONTINUE, Uint8Array.of(1, 2, 3)),
      d0.stream(CONTINUE, Uint8Array.of(4)),
      d0.stream(CONTINUE),
      d0.stream(OK),
    ]
    const all = Buffer.concat(parts)
    for (let i = 1; i < all.length; i++) {
      const d = setup() // same serial 1 each time: a fresh client
      d.rpc.receive(all.subarray(0, i))
      d.rpc.receive(all.subarray(i))
      const { stream } = await d.opening
      const chunks = collect(stream)
      await once(stream, 'close')
      expect([...Buffer.concat(chunks)]).toEqual([1, 2, 3, 4])
      expect(d.sent()).toEqual(['STREAM/OK/0'])
    }
  })

  it('a daemon ERROR while finishing is an error, not a silent end', async () => {
    const d = setup()
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    collect(stream)
    d.rpc.receive(d.stream(CONTINUE))
    d.rpc.receive(
      packet({ ...d.call, type: MessageType.STREAM, status: ERROR }, (w) =>
        encodeRemoteError(w, remoteError(38, 'write failed')),
      ),
    )
    const [err] = (await once(stream, 'error')) as [VirtError]
    expect(err).toBeInstanceOf(VirtError)
    expect(err.message).toBe('write failed')
    expect(d.sent()).toEqual(['STREAM/OK/0']) // no abort for a stream the daemon failed
  })

  it('refuses writes to a download', async () => {
    const d = setup()
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    stream.write('x')
    const [err] = await once(stream, 'error')
    expect(err).toBeInstanceOf(StreamClosedError)
    expect(d.sent()).toEqual(['STREAM/ERROR/0']) // destroyed: aborted
  })

  it('a STREAM_HOLE on a stream that did not ask for holes aborts it', async () => {
    const d = setup()
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    d.rpc.receive(
      packet({ ...d.call, type: MessageType.STREAM_HOLE, status: CONTINUE }, (w) => {
        w.hyper(4096n)
        w.uint(0)
      }),
    )
    const [err] = await once(stream, 'error')
    expect(err).toBeInstanceOf(ProtocolError)
    expect(d.sent()).toEqual(['STREAM/ERROR/0'])
  })
})

describe('a duplex stream (console)', () => {
  it('cuts writes into packets of at most 262120 bytes; end() finishes', async () => {
    const d = setup('both')
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    const chunks = collect(stream)
    stream.write(Buffer.alloc(600_000, 7))
    d.rpc.receive(d.stream(CONTINUE, Buffer.from('echo')))
    const finishing = stream.finish()
    await tick()
    expect(d.sent()).toEqual([
      'STREAM/CONTINUE/262120',
      'STREAM/CONTINUE/262120',
      'STREAM/CONTINUE/75760',
      'STREAM/OK/0',
    ])
    const closed = once(stream, 'close')
    d.rpc.receive(d.stream(OK))
    await finishing
    await closed
    expect(Buffer.concat(chunks).toString()).toBe('echo')
  })

  it('the daemon closing the console finishes it; later writes fail', async () => {
    const d = setup('both')
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    collect(stream)
    d.rpc.receive(d.stream(CONTINUE))
    expect(d.sent()).toEqual(['STREAM/OK/0'])
    d.rpc.receive(d.stream(OK))
    await once(stream, 'close')
    expect(stream.write('late', () => {})).toBe(false)
    expect(d.sent()).toEqual([])
  })

  it('abort() sends STREAM/ERROR and resolves on the confirmation, without an error', async () => {
    const d = setup('both')
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    const onError = vi.fn()
    stream.on('error', onError)
    const aborted = stream.abort()
    expect(d.sent()).toEqual(['STREAM/ERROR/0'])
    d.rpc.receive(d.stream(CONTINUE, Buffer.from('ignored')))
    d.rpc.receive(d.stream(OK))
    await aborted
    await tick()
    expect(stream.destroyed).toBe(true)
    expect(onError).not.toHaveBeenCalled()
  })

  it('destroy() aborts the stream on the daemon', async () => {
    const d = setup('both')
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    stream.destroy()
    expect(d.sent()).toEqual(['STREAM/ERROR/0'])
  })

  it('a daemon error mid-stream fails it with the VirtError', async () => {
    const d = setup('both')
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    d.rpc.receive(
      packet({ ...d.call, type: MessageType.STREAM, status: ERROR }, (w) =>
        encodeRemoteError(w, remoteError(1, 'internal error: console gone')),
      ),
    )
    const [err] = await once(stream, 'error')
    expect(err).toMatchObject({ name: 'VirtError', code: 1 })
    expect(d.sent()).toEqual([])
  })

  it('connection loss fails the stream with the ConnectionLostError', async () => {
    const d = setup('both')
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    d.rpc.connectionLost('socket closed')
    const [err] = await once(stream, 'error')
    expect(err).toBeInstanceOf(ConnectionLostError)
    await expect(stream.finish()).rejects.toBeInstanceOf(ConnectionLostError)
  })
})

describe('an upload stream', () => {
  it('ends after the daemon confirmed the finish', async () => {
    const d = setup('write')
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    stream.write(Buffer.from('abc'))
    const finishing = stream.finish()
    await tick()
    expect(d.sent()).toEqual(['STREAM/CONTINUE/3', 'STREAM/OK/0'])
    const closed = once(stream, 'close')
    d.rpc.receive(d.stream(OK))
    await finishing
    await closed
  })

  it('data from the daemon on an upload is a protocol error', async () => {
    const d = setup('write')
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    d.rpc.receive(d.stream(CONTINUE, Buffer.from('?')))
    const [err] = await once(stream, 'error')
    expect(err).toBeInstanceOf(ProtocolError)
  })
})

describe('backpressure', () => {
  it('without flow control, a consumer too far behind overflows the bound', async () => {
    const d = setup('read', { maxBufferedBytes: 100, readableHighWaterMark: 16 })
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    for (let i = 0; i < 3; i++) d.rpc.receive(d.stream(CONTINUE, Buffer.alloc(40)))
    const [err] = await once(stream, 'error')
    expect(err).toBeInstanceOf(StreamOverflowError)
    expect(d.sent()).toEqual(['STREAM/ERROR/0'])
  })

  it('with flow control, pauses the transport above the mark and resumes when read', async () => {
    const drains: (() => void)[] = []
    const flow: StreamFlowControl & { writableLength: number } = {
      pause: vi.fn(),
      resume: vi.fn(),
      writableLength: 0,
      onceDrain: (cb) => drains.push(cb),
    }
    const d = setup('both', {
      flow,
      readableHighWaterMark: 16,
      writableHighWaterMark: 16,
      maxBufferedBytes: 1,
    })
    d.rpc.receive(d.reply)
    const { stream } = await d.opening
    d.rpc.receive(d.stream(CONTINUE, Buffer.alloc(40)))
    d.rpc.receive(d.stream(CONTINUE, Buffer.alloc(40))) // far past maxBufferedBytes: no overflow
    expect(flow.pause).toHaveBeenCalledTimes(1)
    expect(stream.read()).not.toBeNull()
    expect(flow.resume).toHaveBeenCalledTimes(1)
    // Writes wait while the transport's queue is above the writable mark.
    flow.writableLength = 1000
    const written = vi.fn()
    stream.write(Buffer.alloc(8), written)
    await tick()
    expect(written).not.toHaveBeenCalled()
    expect(drains).toHaveLength(1)
    drains[0]!()
    await tick()
    expect(written).toHaveBeenCalledTimes(1)
    stream.destroy()
  })
})

describe('openStream', () => {
  it('a stream failing in the same read as its reply comes back destroyed, nothing unheard', async () => {
    const d = setup('both')
    // Taken over at once: the opening reply and the stream's error in one chunk.
    const failure = packet({ ...d.call, type: MessageType.STREAM, status: ERROR }, (w) =>
      encodeRemoteError(w, remoteError(38, 'stream had I/O failure')),
    )
    d.rpc.receive(Buffer.concat([d.reply, failure]))
    const { stream } = await d.opening
    await tick() // an unheard 'error' would have failed the run by now
    expect(stream.destroyed).toBe(true)
    expect(stream.errored).toMatchObject({ name: 'VirtError', message: 'stream had I/O failure' })
    expect(stream.listenerCount('error')).toBe(0) // held only until the caller could listen
  })

  it('an ERROR reply rejects with the VirtError and leaves no stream behind', async () => {
    const d = setup('both')
    d.rpc.receive(errorReply(d.call, remoteError(55, 'domain is not running')))
    await expect(d.opening).rejects.toBeInstanceOf(VirtError)
    d.rpc.receive(d.stream(CONTINUE, Buffer.from('stray')))
    await tick()
    expect(d.sent()).toEqual([])
  })

  it('an abort before the reply rejects, and a late opening is aborted', async () => {
    const ac = new AbortController()
    const d = setup('both', { signal: ac.signal })
    ac.abort()
    await expect(d.opening).rejects.toMatchObject({ name: 'AbortError' })
    d.rpc.receive(d.reply)
    await tick()
    expect(d.sent()).toEqual(['STREAM/ERROR/0'])
    d.rpc.receive(d.stream(OK))
  })

  it('a deadline rejects with RpcTimeoutError', async () => {
    const d = setup('read', { timeoutMs: 10 })
    await expect(d.opening).rejects.toBeInstanceOf(RpcTimeoutError)
    d.rpc.receive(d.reply)
    await tick()
    expect(d.sent()).toEqual(['STREAM/ERROR/0'])
  })

  it('fails at once on a closed connection', async () => {
    const sink = new PacketSink()
    const rpc = new RpcClient({ write: sink.write })
    rpc.close()
    const header: PacketHeader = {
      program: REMOTE_PROGRAM,
      version: 1,
      procedure: 201,
      type: 0,
      serial: 0,
      status: 0,
    }
    await expect(
      openStream(rpc, {
        ...header,
        args: undefined,
        encodeArgs: encodeVoid,
        decodeRet: decodeDomainScreenshotRet,
        direction: 'both',
      }),
    ).rejects.toBeInstanceOf(ConnectionLostError)
    expect(sink.take()).toEqual([])
  })
})
