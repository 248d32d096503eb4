/**
 * Sparse streams (StreamOptions.sparse): holes in order with the data both ways, playing
 * the daemon's side of STORAGE_VOL_DOWNLOAD (209) and STORAGE_VOL_UPLOAD (208).
 */
import { once } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { okReply, packet, PacketSink } from '../../test/packets'
import { bytes, toHex } from '../../test/vectors/hex'
import { REMOTE_PROGRAM } from '../protocol/generated/constants.gen'
import { decodeVoid, encodeVoid } from '../xdr/codecs'
import { RpcClient } from './client'
import { ProtocolError } from './errors'
import { MessageStatus, MessageType, type Packet } from './packet'
import { openStream } from './open-stream'
import { toSparseChunk, type SparseChunk } from './sparse-chunk'
import { StreamOverflowError } from './stream-errors'
import type { StreamDirection, StreamFlowControl, StreamOptions } from './streams'

const { CONTINUE, OK } = MessageStatus

/** Opens a sparse stream of procedure `procedure` against a client whose daemon we play. */
async function setup(direction: StreamDirection, options: StreamOptions = {}) {
  const sink = new PacketSink()
  const rpc = new RpcClient({ write: sink.write })
  const procedure = direction === 'read' ? 209 : 208
  const opening = openStream(
    rpc,
    {
      program: REMOTE_PROGRAM,
      version: 1,
      procedure,
      args: undefined,
      encodeArgs: encodeVoid,
      decodeRet: decodeVoid,
      direction,
    },
    { sparse: true, ...options },
  )
  const call = sink.take()[0]!.header
  rpc.receive(okReply(call))
  const { stream } = await opening
  const data = (body: Uint8Array) =>
    packet({ ...call, type: MessageType.STREAM, status: CONTINUE }, (w) => w.raw(body))
  const hole = (length: bigint) =>
    packet({ ...call, type: MessageType.STREAM_HOLE, status: CONTINUE }, (w) => {
      w.hyper(length)
      w.uint(0)
    })
  const control = (status: number) => packet({ ...call, type: MessageType.STREAM, status })
  return { sink, rpc, stream, call, data, hole, control }
}

function summary(p: Packet): string {
  const type = { 3: 'STREAM', 6: 'HOLE' }[p.header.type] ?? `type${p.header.type}`
  const status = ['OK', 'ERROR', 'CONTINUE'][p.header.status] ?? p.header.status
  return `${type}/${status}/${p.body.byteLength}`
}

const tick = () => new Promise((r) => setImmediate(r))

describe('a sparse download', () => {
  it('yields data and holes in the order the daemon sent them, then ends on the finish', async () => {
    const d = await setup('read')
    const got: SparseChunk[] = []
    const reading = (async () => {
      for await (const c of d.stream as AsyncIterable<SparseChunk>) got.push(c)
    })()
    d.rpc.receive(d.data(Buffer.from('ab')))
    d.rpc.receive(d.hole(3891200n)) // README section 13: the observed hole
    d.rpc.receive(d.hole(0n)) // nothing to skip: not passed on
    d.rpc.receive(d.data(Buffer.from('c')))
    d.rpc.receive(d.control(CONTINUE)) // end of data
    await tick()
    expect(d.sink.take().map(summary)).toEqual(['STREAM/OK/0']) // our finish
    d.rpc.receive(d.control(OK))
    await reading
    expect(got).toEqual([
      { data: Buffer.from('ab') },
      { hole: 3891200 },
      { data: Buffer.from('c') },
    ])
  })

  it('a hole beyond 2^53 bytes fails the stream with a ProtocolError and aborts it', async () => {
    const d = await setup('read')
    d.rpc.receive(d.hole(1n << 60n))
    const [err] = await once(d.stream, 'error')
    expect(err).toBeInstanceOf(ProtocolError)
    expect(d.sink.take().map(summary)).toEqual(['STREAM/ERROR/0'])
  })

  it('counts its bound in packets: a reader far behind overflows it', async () => {
    // 262120 * 2 > 300000: the third item held is past the bound.
    const d = await setup('read', { maxBufferedBytes: 300_000, readableHighWaterMark: 1 })
    for (let i = 0; i < 3; i++) d.rpc.receive(d.hole(4096n))
    const [err] = await once(d.stream, 'error')
    expect(err).toBeInstanceOf(StreamOverflowError)
  })

  it('with flow control, pauses the transport while the reader lags', async () => {
    const flow: StreamFlowControl = {
      pause: vi.fn(),
      resume: vi.fn(),
      writableLength: 0,
      onceDrain: (cb) => cb(),
    }
    const d = await setup('read', { flow, maxBufferedBytes: 1 })
    d.rpc.receive(d.data(Buffer.alloc(10)))
    d.rpc.receive(d.hole(1n << 30n))
    d.rpc.receive(d.data(Buffer.alloc(10)))
    // The default mark, 256 KiB, is two packets: the second item held pauses the socket.
    expect(flow.pause).toHaveBeenCalledTimes(1)
    expect(d.stream.read()).toEqual({ data: Buffer.alloc(10) })
    expect(d.stream.read()).toEqual({ hole: 1 << 30 })
    expect(flow.resume).toHaveBeenCalledTimes(1) // below the mark again
    expect(d.stream.read()).toEqual({ data: Buffer.alloc(10) })
    d.stream.destroy()
  })
})

describe('a sparse upload', () => {
  it('sends bytes and { data } as STREAM packets and { hole } as STREAM_HOLE, in order', async () => {
    const d = await setup('write')
    d.stream.write(Buffer.from('abc'))
    d.stream.write({ hole: 3891200 })
    d.stream.write({ hole: 0 }) // nothing: no packet
    d.stream.write({ data: Uint8Array.of(1, 2) })
    const finishing = d.stream.finish()
    await tick()
    const sent = d.sink.take()
    expect(sent.map(summary)).toEqual([
      'STREAM/CONTINUE/3',
      'HOLE/CONTINUE/12',
      'STREAM/CONTINUE/2',
      'STREAM/OK/0',
    ])
    expect(toHex(sent[1]!.body)).toBe(
      toHex(
        bytes(`
          00 00 00 00 00 3b 60 00 | virNetStreamHole.length = 3891200 (hyper)
          00 00 00 00             | flags = 0
        `),
      ),
    )
    d.rpc.receive(d.control(OK))
    await finishing
  })

  it('refuses a hole that is not a non-negative integer, and aborts', async () => {
    const d = await setup('write')
    d.stream.write({ hole: -1 })
    const [err] = await once(d.stream, 'error')
    expect(err).toBeInstanceOf(TypeError)
    expect(d.sink.take().map(summary)).toEqual(['STREAM/ERROR/0'])
  })

  it('a hole from the daemon on an upload is a protocol error', async () => {
    const d = await setup('write')
    d.rpc.receive(d.hole(10n))
    const [err] = await once(d.stream, 'error')
    expect(err).toBeInstanceOf(ProtocolError)
  })

  it('write callbacks wait for the transport to drain below the mark, counted in bytes', async () => {
    const drains: (() => void)[] = []
    const flow: StreamFlowControl & { writableLength: number } = {
      pause: vi.fn(),
      resume: vi.fn(),
      writableLength: 100, // below the 256 KiB mark although above 2 (packets)
      onceDrain: (cb) => drains.push(cb),
    }
    const d = await setup('write', { flow })
    const first = vi.fn()
    d.stream.write({ hole: 1 }, first)
    await tick()
    expect(first).toHaveBeenCalled()
    flow.writableLength = 1 << 20
    const second = vi.fn()
    d.stream.write({ hole: 1 }, second)
    await tick()
    expect(second).not.toHaveBeenCalled()
    drains[0]!()
    await tick()
    expect(second).toHaveBeenCalled()
    d.stream.destroy()
  })
})

describe('toSparseChunk', () => {
  it('takes bytes, { data } and { hole }; refuses anything else', () => {
    expect(toSparseChunk(Uint8Array.of(1))).toEqual({ data: Buffer.of(1) })
    expect(toSparseChunk({ data: Buffer.of(2) })).toEqual({ data: Buffer.of(2) })
    expect(toSparseChunk({ hole: 5 })).toEqual({ hole: 5 })
    for (const bad of ['text', 5, null, { hole: 1.5 }, { hole: 2 ** 53 }, { data: 'x' }]) {
      expect(() => toSparseChunk(bad)).toThrow(TypeError)
    }
  })
})
