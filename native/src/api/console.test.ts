import { describe, expect, it } from 'vitest'
import { okReply, packet, PacketSink } from '../../test/packets'
import {
  decodeDomainOpenConsoleArgs,
  decodeDomainScreenshotArgs,
  encodeDomainScreenshotRet,
} from '../protocol/generated/remote-codecs.gen'
import type { NonnullDomain } from '../protocol/generated/remote-types.gen'
import { RpcClient } from '../rpc/client'
import { RpcTimeoutError } from '../rpc/errors'
import { MessageStatus, MessageType, type Packet } from '../rpc/packet'
import { StreamOverflowError } from '../rpc/stream-errors'
import { XdrReader } from '../xdr/reader'
import { openConsole, screenshot } from './console'

const dom: NonnullDomain = { name: 'vm', uuid: new Uint8Array(16), id: 3 }
const flush = () => new Promise((r) => setImmediate(r))

function setup() {
  const sink = new PacketSink()
  const rpc = new RpcClient({ write: sink.write })
  const data = (call: Packet, status: number, body?: Uint8Array) =>
    packet({ ...call.header, type: MessageType.STREAM, status }, body && ((w) => w.raw(body)))
  return { sink, rpc, host: { rpc }, data }
}

describe('openConsole', () => {
  it('sends DOMAIN_OPEN_CONSOLE with the alias and the force/safe flags', async () => {
    const { sink, rpc, host } = setup()
    const opening = openConsole(host, dom, 'serial0', { force: true, safe: true })
    const [call] = sink.take()
    expect(call!.header.procedure).toBe(201)
    expect(decodeDomainOpenConsoleArgs(new XdrReader(call!.body))).toEqual({
      dom,
      dev_name: 'serial0',
      flags: 3, // VIR_DOMAIN_CONSOLE_FORCE | VIR_DOMAIN_CONSOLE_SAFE
    })
    rpc.receive(okReply(call!.header))
    const tty = await opening
    expect(tty.direction).toBe('both')
    tty.destroy()
  })
})

describe('screenshot', () => {
  it('returns the MIME type and the image once the stream has finished', async () => {
    const { sink, rpc, host, data } = setup()
    const shot = screenshot(host, dom, 1)
    const [call] = sink.take()
    expect(decodeDomainScreenshotArgs(new XdrReader(call!.body))).toEqual({
      dom,
      screen: 1,
      flags: 0,
    })
    rpc.receive(okReply(call!.header, (w) => encodeDomainScreenshotRet(w, { mime: 'image/png' })))
    rpc.receive(data(call!, MessageStatus.CONTINUE, Buffer.from('\x89PNG', 'latin1')))
    rpc.receive(data(call!, MessageStatus.CONTINUE, Buffer.from('rest')))
    rpc.receive(data(call!, MessageStatus.CONTINUE)) // end of data
    await flush()
    expect(sink.take().map((p) => p.header.status)).toEqual([MessageStatus.OK]) // finish
    rpc.receive(data(call!, MessageStatus.OK))
    const { mime, data: bytes } = await shot
    expect(mime).toBe('image/png')
    expect(bytes.toString('latin1')).toBe('\x89PNGrest')
  })

  it('aborts beyond maxBytes', async () => {
    const { sink, rpc, host, data } = setup()
    const shot = screenshot(host, dom, 0, { maxBytes: 4 })
    const [call] = sink.take()
    rpc.receive(okReply(call!.header, (w) => encodeDomainScreenshotRet(w, { mime: 'image/png' })))
    await flush()
    rpc.receive(data(call!, MessageStatus.CONTINUE, Buffer.from('12345')))
    const aborted = expect(shot).rejects.toBeInstanceOf(StreamOverflowError)
    await flush()
    expect(sink.take().map((p) => p.header.status)).toEqual([MessageStatus.ERROR]) // abort
    rpc.receive(data(call!, MessageStatus.OK))
    await aborted
  })

  it('a deadline covers the transfer, not only the opening call', async () => {
    const { sink, rpc, host } = setup()
    const shot = screenshot(host, dom, 0, { timeoutMs: 30 })
    const [call] = sink.take()
    rpc.receive(okReply(call!.header, (w) => encodeDomainScreenshotRet(w, { mime: 'image/png' })))
    await expect(shot).rejects.toBeInstanceOf(RpcTimeoutError)
    expect(sink.take().map((p) => p.header.status)).toEqual([MessageStatus.ERROR]) // abort
  })
})
