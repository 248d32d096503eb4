import { describe, expect, it } from 'vitest'
import { ErrorNumber } from '../protocol/generated/flags.gen'
import type { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import { encodeConnectGetAllDomainStatsRet } from '../protocol/generated/remote-codecs.gen'
import type {
  ConnectGetAllDomainStatsArgs,
  NonnullDomain,
} from '../protocol/generated/remote-types.gen'
import type { RpcCaller } from '../rpc/caller'
import { VirtError } from '../rpc/errors'
import type { Decoder } from '../xdr/codecs'
import { XdrReader } from '../xdr/reader'
import { XdrWriter } from '../xdr/writer'
import { listDomainsWithState, lookupDomain } from './domains'

const dom = (n: number): NonnullDomain => ({
  name: `d${n}`,
  uuid: new Uint8Array(16).fill(n),
  id: n,
})

const virtError = (code: number): VirtError =>
  new VirtError({
    code,
    domain: 0,
    message: `error ${code}`,
    level: 2,
    dom: null,
    str1: null,
    str2: null,
    str3: null,
    int1: 0,
    int2: 0,
    net: null,
  })

/** A fake connection: `list` for CONNECT_LIST_ALL_DOMAINS, `bulk` for the stats call. */
function fakeConn(opts: {
  list: NonnullDomain[]
  bulk: NonnullDomain[] | VirtError
  own?: Map<number, number | VirtError>
}) {
  const seen: { listFlags?: number; statsArgs?: ConnectGetAllDomainStatsArgs; own: number[] } = {
    own: [],
  }
  const remote = {
    connectListAllDomains: ({ flags }: { flags: number }) => {
      seen.listFlags = flags
      return Promise.resolve({ domains: opts.list, ret: opts.list.length })
    },
    domainGetState: ({ dom: d }: { dom: NonnullDomain }) => {
      seen.own.push(d.id)
      const v = opts.own?.get(d.id) ?? 5
      return v instanceof VirtError ? Promise.reject(v) : Promise.resolve({ state: v, reason: 0 })
    },
    domainLookupByUuid: () => Promise.reject(virtError(ErrorNumber.NO_DOMAIN)),
    domainLookupByName: ({ name }: { name: string }) =>
      Promise.resolve({ dom: { ...dom(9), name } }),
  } as unknown as RemoteCalls
  const rpc: RpcCaller = {
    call<A, R>(_p: number, _v: number, _proc: number, args: A, _e: unknown, decode: Decoder<R>) {
      seen.statsArgs = args as ConnectGetAllDomainStatsArgs
      if (opts.bulk instanceof VirtError) return Promise.reject(opts.bulk)
      const w = new XdrWriter()
      encodeConnectGetAllDomainStatsRet(w, {
        retStats: opts.bulk.map((d) => ({
          dom: d,
          params: [{ field: 'state.state', value: { type: 1, i: 1 } }],
        })),
      })
      return Promise.resolve(decode(new XdrReader(w.toBytes())))
    },
  }
  return { conn: { remote, rpc }, seen }
}

describe('listDomainsWithState', () => {
  it('joins the list with one bulk STATE call, filling in what the bulk call missed', async () => {
    const { conn, seen } = fakeConn({
      list: [dom(1), dom(2), dom(3)],
      bulk: [dom(2), dom(1), dom(4)], // 3 defined in between, 4 gone from the list
      own: new Map([[3, 3]]),
    })
    const out = await listDomainsWithState(conn, 1 | 1024) // ACTIVE | AUTOSTART
    expect(out.map((d) => [d.name, d.state.stateName])).toEqual([
      ['d1', 'RUNNING'],
      ['d2', 'RUNNING'],
      ['d3', 'PAUSED'],
    ])
    expect(out[0]!.uuid).toBe('01010101-0101-0101-0101-010101010101')
    expect(seen.own).toEqual([3])
    expect(seen.listFlags).toBe(1 | 1024)
    expect(seen.statsArgs).toEqual({ doms: [], stats: 1, flags: 1 }) // AUTOSTART is list-only
  })

  it('leaves out a domain that vanished before its own state call', async () => {
    const { conn } = fakeConn({
      list: [dom(1), dom(2)],
      bulk: [dom(1)],
      own: new Map([[2, virtError(ErrorNumber.NO_DOMAIN)]]),
    })
    expect((await listDomainsWithState(conn)).map((d) => d.name)).toEqual(['d1'])
  })

  it('falls back to one state call per domain when the driver has no bulk stats', async () => {
    const { conn, seen } = fakeConn({
      list: [dom(1), dom(2)],
      bulk: virtError(ErrorNumber.NO_SUPPORT),
      own: new Map([[1, 1]]),
    })
    const out = await listDomainsWithState(conn)
    expect(out.map((d) => d.state.state)).toEqual([1, 5])
    expect(seen.own).toEqual([1, 2])
  })

  it('passes other errors on', async () => {
    const { conn } = fakeConn({ list: [dom(1)], bulk: virtError(ErrorNumber.ACCESS_DENIED) })
    await expect(listDomainsWithState(conn)).rejects.toThrow('error 88')
  })
})

describe('lookupDomain', () => {
  it('tries a UUID-shaped string as a name when no domain has that UUID', async () => {
    const { conn } = fakeConn({ list: [], bulk: [] })
    const name = '01010101-0101-0101-0101-010101010101'
    expect((await lookupDomain(conn, name)).name).toBe(name)
  })
})
