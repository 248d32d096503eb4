import { describe, expect, it } from 'vitest'
import {
  decodeConnectGetAllDomainStatsRet,
  encodeConnectGetAllDomainStatsRet,
} from '../protocol/generated/remote-codecs.gen'
import type { DomainStatsRecord, TypedParam } from '../protocol/generated/remote-types.gen'
import { XdrReader } from '../xdr/reader'
import { XdrWriter } from '../xdr/writer'
import { XdrError } from '../xdr/xdr-error'
import { parseUuid } from './format'
import { domainStatsDecoder, domainStatsFromRecords, domainStateName } from './stats-decode'

const u = (field: string, v: number | bigint): TypedParam => ({
  field,
  value: { type: 4, ul: BigInt(v) },
})
const i = (field: string, v: number): TypedParam => ({ field, value: { type: 1, i: v } })
const s = (field: string, v: string): TypedParam => ({ field, value: { type: 7, s: v } })
const b = (field: string, v: boolean): TypedParam => ({ field, value: { type: 6, b: v ? 1 : 0 } })

const UUID = 'c3190a18-9219-4740-be63-44d76b670f16'
const running: DomainStatsRecord = {
  dom: { name: 'web', uuid: parseUuid(UUID), id: 7 },
  params: [
    i('state.state', 1),
    i('state.reason', 1),
    u('cpu.time', 2n ** 60n + 1n), // beyond 2^53: rounded in numbers, exact in raw
    u('cpu.user', 100),
    u('cpu.system', 50),
    u('balloon.current', 1024),
    u('balloon.maximum', 2048),
    u('balloon.swap_in', 1),
    u('balloon.swap_out', 2),
    u('balloon.major_fault', 3),
    u('balloon.minor_fault', 4),
    u('balloon.unused', 5),
    u('balloon.available', 6),
    u('balloon.usable', 7),
    u('balloon.rss', 8),
    { field: 'balloon.last-update', value: { type: 3, l: 1_700_000_000n } },
    u('balloon.disk_caches', 9),
    u('balloon.hugetlb_pgalloc', 10),
    u('balloon.hugetlb_pgfail', 11),
    { field: 'vcpu.current', value: { type: 2, ui: 2 } },
    { field: 'vcpu.maximum', value: { type: 2, ui: 4 } },
    i('vcpu.0.state', 1),
    u('vcpu.0.time', 1000),
    u('vcpu.0.wait', 10),
    b('vcpu.0.halted', true),
    u('vcpu.0.delay', 3),
    i('vcpu.1.state', 1),
    u('vcpu.1.time', 2000),
    b('vcpu.1.halted', false),
    { field: 'net.count', value: { type: 2, ui: 2 } },
    s('net.0.name', 'vnet0'),
    u('net.0.rx.bytes', 11),
    u('net.0.rx.pkts', 12),
    u('net.0.rx.errs', 13),
    u('net.0.rx.drop', 14),
    u('net.0.tx.bytes', 15),
    u('net.0.tx.pkts', 16),
    u('net.0.tx.errs', 17),
    u('net.0.tx.drop', 18),
    s('net.1.name', 'vnet1'),
    u('net.1.rx.bytes', 21),
    { field: 'block.count', value: { type: 2, ui: 1 } },
    s('block.0.name', 'vda'),
    s('block.0.path', '/var/lib/libvirt/images/web.qcow2'),
    { field: 'block.0.backingIndex', value: { type: 2, ui: 1 } },
    u('block.0.rd.reqs', 31),
    u('block.0.rd.bytes', 32),
    u('block.0.rd.times', 33),
    u('block.0.wr.reqs', 34),
    u('block.0.wr.bytes', 35),
    u('block.0.wr.times', 36),
    u('block.0.fl.reqs', 37),
    u('block.0.fl.times', 38),
    u('block.0.errors', 0),
    u('block.0.allocation', 39),
    u('block.0.capacity', 40),
    u('block.0.physical', 41),
    u('block.0.threshold', 42),
    u('block.0.future.key', 43), // unknown key of a known group: kept in other
    u('block.5.rd.bytes', 44), // index out of order: kept in other
    s('net.x.name', 'odd'), // not an index: kept in other
    u('perf.cmt', 45),
    { field: 'dirtyrate.megabytes_per_second', value: { type: 5, d: 1.5 } },
  ],
}
const shutOff: DomainStatsRecord = {
  dom: { name: 'idle', uuid: new Uint8Array(16).fill(0xab), id: -1 },
  params: [i('state.state', 5), i('state.reason', 1)],
}

function replyBytes(records: DomainStatsRecord[]): Uint8Array {
  const w = new XdrWriter()
  encodeConnectGetAllDomainStatsRet(w, { retStats: records })
  return w.toBytes()
}

describe('bulk stats decoder', () => {
  const bytes = replyBytes([running, shutOff])

  it('decodes every modelled group into plain numbers', () => {
    const r = new XdrReader(bytes)
    const [web, idle] = domainStatsDecoder(false)(r)
    r.expectEnd()
    expect(web).toMatchObject({
      name: 'web',
      uuid: UUID,
      id: 7,
      state: { state: 1, stateName: 'RUNNING', reason: 1 },
      cpu: { time: 2 ** 60, user: 100, system: 50 },
      balloon: {
        current: 1024,
        maximum: 2048,
        swapIn: 1,
        swapOut: 2,
        majorFault: 3,
        minorFault: 4,
        unused: 5,
        available: 6,
        usable: 7,
        rss: 8,
        lastUpdate: 1_700_000_000,
        diskCaches: 9,
        hugetlbPgalloc: 10,
        hugetlbPgfail: 11,
      },
      vcpu: {
        current: 2,
        maximum: 4,
        vcpus: [
          { state: 1, time: 1000, wait: 10, halted: true, delay: 3 },
          { state: 1, time: 2000, halted: false },
        ],
      },
      interfaces: [
        {
          name: 'vnet0',
          rxBytes: 11,
          rxPackets: 12,
          rxErrors: 13,
          rxDrop: 14,
          txBytes: 15,
          txPackets: 16,
          txErrors: 17,
          txDrop: 18,
        },
        { name: 'vnet1', rxBytes: 21 },
      ],
      block: [
        {
          name: 'vda',
          path: '/var/lib/libvirt/images/web.qcow2',
          backingIndex: 1,
          rdReqs: 31,
          rdBytes: 32,
          rdTimes: 33,
          wrReqs: 34,
          wrBytes: 35,
          wrTimes: 36,
          flReqs: 37,
          flTimes: 38,
          errors: 0,
          allocation: 39,
          capacity: 40,
          physical: 41,
          threshold: 42,
        },
      ],
    })
    expect({ ...web!.other }).toEqual({
      'block.0.future.key': 43,
      'block.5.rd.bytes': 44,
      'net.x.name': 'odd',
      'perf.cmt': 45,
      'dirtyrate.megabytes_per_second': 1.5,
    })
    expect(web!.raw).toBeUndefined()
    expect(idle).toEqual({
      name: 'idle',
      uuid: 'abababab-abab-abab-abab-abababababab',
      id: -1,
      handle: shutOff.dom,
      state: { state: 5, stateName: 'SHUTOFF', reason: 1 },
    })
  })

  it('keeps exact values in raw when asked, and agrees with the generated codec', () => {
    const fast = domainStatsDecoder(true)(new XdrReader(bytes))
    const slow = domainStatsFromRecords(
      decodeConnectGetAllDomainStatsRet(new XdrReader(bytes)).retStats,
      true,
    )
    expect(fast).toEqual(slow)
    expect(fast[0]!.raw!['cpu.time']).toBe(2n ** 60n + 1n)
    expect(fast[0]!.raw!['cpu.user']).toBe(100)
    expect(fast[0]!.raw!['vcpu.0.halted']).toBe(true)
    expect(Object.keys(fast[0]!.raw!)).toEqual(running.params.map((p) => p.field))
  })

  it('throws XdrError, never anything else, on truncated or hostile input', () => {
    const decode = domainStatsDecoder(true)
    for (let end = 0; end < bytes.byteLength; end++) {
      expect(() => {
        const r = new XdrReader(bytes, 0, end)
        decode(r)
        r.expectEnd()
      }).toThrow(XdrError)
    }
    const hostile = new XdrWriter()
    hostile.uint(1) // one record
    hostile.string('x', 100)
    hostile.fixedOpaque(new Uint8Array(16), 16)
    hostile.int(1)
    hostile.uint(0x7fff_ffff) // a huge parameter count
    expect(() => decode(new XdrReader(hostile.toBytes()))).toThrow(/exceeds maximum/)
    const badArm = replyBytes([{ ...shutOff, params: [i('state.state', 5)] }])
    badArm[badArm.byteLength - 8 + 3] = 9 // the type word of the only parameter
    expect(() => decode(new XdrReader(badArm))).toThrow(/no arm for type 9/)
  })

  it('names states', () => {
    expect(domainStateName(3)).toBe('PAUSED')
    expect(domainStateName(42)).toBe('UNKNOWN(42)')
  })
})
