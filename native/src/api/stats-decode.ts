/**
 * A fast decoder for the CONNECT_GET_ALL_DOMAIN_STATS reply: straight from the XDR bytes to
 * {@link DomainStats} with plain numbers, without the generated TypedParam objects or a
 * bigint per counter. Keys are dispatched with one Map lookup each (fixed keys such as
 * `cpu.time`) or a digit scan plus one Map lookup (indexed keys such as `block.0.rd.bytes`);
 * no regular expressions. The same limits as the generated decoder are enforced.
 *
 * 64-bit counters become numbers; one above 2^53 (never seen: 104 days of CPU time in ns
 * is 2^53) is rounded to the nearest double. Ask for `raw` to also get exact values.
 */
import {
  REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX,
  REMOTE_DOMAIN_LIST_MAX,
  REMOTE_STRING_MAX,
} from '../protocol/generated/constants.gen'
import { DomainState, TypedParameterType } from '../protocol/generated/flags.gen'
import { decodeNonnullDomain } from '../protocol/generated/remote-codecs.gen'
import type { DomainStatsRecord } from '../protocol/generated/remote-types.gen'
import { safeNumber, typedParamValue, type TypedParamScalar } from '../protocol/typed-params'
import type { Decoder } from '../xdr/codecs'
import type { XdrReader } from '../xdr/reader'
import { XdrError } from '../xdr/xdr-error'
import { formatUuid } from './format'
import type { BlockStats, DomainStats, InterfaceStats, StatValue, VcpuEntry } from './stats-types'

const STATE_NAMES = new Map<number, string>(
  Object.entries(DomainState).map(([k, v]) => [v as number, k]),
)

/** A domain state number's name: RUNNING, SHUTOFF ... or `UNKNOWN(n)`. */
export function domainStateName(state: number): string {
  return STATE_NAMES.get(state) ?? `UNKNOWN(${state})`
}

/** Stores one value of a fixed key. */
type Sink = (s: DomainStats, v: StatValue) => void
/** Stores one value of an indexed key into its entry. */
type EntrySink<E> = (e: E, v: StatValue) => void

const num = (v: StatValue): number => (typeof v === 'number' ? v : Number(v))

function stateOf(s: DomainStats): NonNullable<DomainStats['state']> {
  return (s.state ??= { state: 0, stateName: 'NOSTATE', reason: 0 })
}

const FIXED = new Map<string, Sink>([
  [
    'state.state',
    (s, v) => {
      const st = stateOf(s)
      st.state = num(v)
      st.stateName = domainStateName(st.state)
    },
  ],
  ['state.reason', (s, v) => void (stateOf(s).reason = num(v))],
  ['cpu.time', (s, v) => void ((s.cpu ??= {}).time = num(v))],
  ['cpu.user', (s, v) => void ((s.cpu ??= {}).user = num(v))],
  ['cpu.system', (s, v) => void ((s.cpu ??= {}).system = num(v))],
  ['cpu.haltpoll.success.time', (s, v) => void ((s.cpu ??= {}).haltpollSuccessTime = num(v))],
  ['cpu.haltpoll.fail.time', (s, v) => void ((s.cpu ??= {}).haltpollFailTime = num(v))],
  ['balloon.current', (s, v) => void ((s.balloon ??= {}).current = num(v))],
  ['balloon.maximum', (s, v) => void ((s.balloon ??= {}).maximum = num(v))],
  ['balloon.swap_in', (s, v) => void ((s.balloon ??= {}).swapIn = num(v))],
  ['balloon.swap_out', (s, v) => void ((s.balloon ??= {}).swapOut = num(v))],
  ['balloon.major_fault', (s, v) => void ((s.balloon ??= {}).majorFault = num(v))],
  ['balloon.minor_fault', (s, v) => void ((s.balloon ??= {}).minorFault = num(v))],
  ['balloon.unused', (s, v) => void ((s.balloon ??= {}).unused = num(v))],
  ['balloon.available', (s, v) => void ((s.balloon ??= {}).available = num(v))],
  ['balloon.usable', (s, v) => void ((s.balloon ??= {}).usable = num(v))],
  ['balloon.rss', (s, v) => void ((s.balloon ??= {}).rss = num(v))],
  ['balloon.last-update', (s, v) => void ((s.balloon ??= {}).lastUpdate = num(v))],
  ['balloon.disk_caches', (s, v) => void ((s.balloon ??= {}).diskCaches = num(v))],
  ['balloon.hugetlb_pgalloc', (s, v) => void ((s.balloon ??= {}).hugetlbPgalloc = num(v))],
  ['balloon.hugetlb_pgfail', (s, v) => void ((s.balloon ??= {}).hugetlbPgfail = num(v))],
  ['vcpu.current', (s, v) => void ((s.vcpu ??= { vcpus: [] }).current = num(v))],
  ['vcpu.maximum', (s, v) => void ((s.vcpu ??= { vcpus: [] }).maximum = num(v))],
  ['net.count', (s) => void (s.interfaces ??= [])],
  ['block.count', (s) => void (s.block ??= [])],
])

const VCPU = new Map<string, EntrySink<VcpuEntry>>([
  ['state', (e, v) => void (e.state = num(v))],
  ['time', (e, v) => void (e.time = num(v))],
  ['wait', (e, v) => void (e.wait = num(v))],
  ['halted', (e, v) => void (e.halted = v === true || v === 1 || v === 'yes')],
  ['delay', (e, v) => void (e.delay = num(v))],
])

const NET = new Map<string, EntrySink<InterfaceStats>>([
  ['name', (e, v) => void (e.name = String(v))],
  ['rx.bytes', (e, v) => void (e.rxBytes = num(v))],
  ['rx.pkts', (e, v) => void (e.rxPackets = num(v))],
  ['rx.errs', (e, v) => void (e.rxErrors = num(v))],
  ['rx.drop', (e, v) => void (e.rxDrop = num(v))],
  ['tx.bytes', (e, v) => void (e.txBytes = num(v))],
  ['tx.pkts', (e, v) => void (e.txPackets = num(v))],
  ['tx.errs', (e, v) => void (e.txErrors = num(v))],
  ['tx.drop', (e, v) => void (e.txDrop = num(v))],
])

const BLOCK = new Map<string, EntrySink<BlockStats>>([
  ['name', (e, v) => void (e.name = String(v))],
  ['path', (e, v) => void (e.path = String(v))],
  ['backingIndex', (e, v) => void (e.backingIndex = num(v))],
  ['rd.reqs', (e, v) => void (e.rdReqs = num(v))],
  ['rd.bytes', (e, v) => void (e.rdBytes = num(v))],
  ['rd.times', (e, v) => void (e.rdTimes = num(v))],
  ['wr.reqs', (e, v) => void (e.wrReqs = num(v))],
  ['wr.bytes', (e, v) => void (e.wrBytes = num(v))],
  ['wr.times', (e, v) => void (e.wrTimes = num(v))],
  ['fl.reqs', (e, v) => void (e.flReqs = num(v))],
  ['fl.times', (e, v) => void (e.flTimes = num(v))],
  ['errors', (e, v) => void (e.errors = num(v))],
  ['allocation', (e, v) => void (e.allocation = num(v))],
  ['capacity', (e, v) => void (e.capacity = num(v))],
  ['physical', (e, v) => void (e.physical = num(v))],
  ['threshold', (e, v) => void (e.threshold = num(v))],
])

const CODE_0 = 48
const CODE_9 = 57
const CODE_DOT = 46
const CODE_B = 98 // block
const CODE_N = 110 // net
const CODE_V = 118 // vcpu

/**
 * `<group>.<n>.<key>` with group vcpu, net or block: stores the value and returns true;
 * false when the field is not such a key (or its index is not the next or an existing one:
 * libvirt numbers entries 0, 1, 2 ... in order, so anything else is kept in `other`).
 */
function storeIndexed(s: DomainStats, field: string, v: StatValue): boolean {
  const c = field.charCodeAt(0)
  let at: number
  if (c === CODE_B && field.startsWith('block.')) at = 6
  else if (c === CODE_N && field.startsWith('net.')) at = 4
  else if (c === CODE_V && field.startsWith('vcpu.')) at = 5
  else return false
  let idx = 0
  let i = at
  for (; i < field.length && i - at < 6; i++) {
    const d = field.charCodeAt(i)
    if (d === CODE_DOT) break
    if (d < CODE_0 || d > CODE_9) return false
    idx = idx * 10 + (d - CODE_0)
  }
  if (i === at || field.charCodeAt(i) !== CODE_DOT) return false
  const key = field.slice(i + 1)
  if (at === 6) return storeEntry((s.block ??= []), idx, BLOCK.get(key), v)
  if (at === 4) return storeEntry((s.interfaces ??= []), idx, NET.get(key), v)
  return storeEntry((s.vcpu ??= { vcpus: [] }).vcpus, idx, VCPU.get(key), v)
}

function storeEntry<E extends object>(
  list: E[],
  idx: number,
  sink: EntrySink<E> | undefined,
  v: StatValue,
): boolean {
  if (sink === undefined || idx > list.length) return false
  let e = list[idx]
  if (e === undefined) list.push((e = {} as E))
  sink(e, v)
  return true
}

/** Stores one reported key/value into `s` (modelled groups, else `other`). */
export function storeStat(s: DomainStats, field: string, v: StatValue): void {
  const sink = FIXED.get(field)
  if (sink !== undefined) sink(s, v)
  else if (!storeIndexed(s, field, v)) {
    ;(s.other ??= Object.create(null) as Record<string, StatValue>)[field] = v
  }
}

/** The minimum wire size of one typed parameter: empty field (4), type (4), int (4). */
const MIN_PARAM_SIZE = 12
const TWO_32 = 4294967296

/** A decoder for the reply; with `raw`, every key's exact value is kept as well. */
export function domainStatsDecoder(raw: boolean): Decoder<DomainStats[]> {
  const decodeRecord = (r: XdrReader): DomainStats => {
    const handle = decodeNonnullDomain(r)
    const s: DomainStats = {
      name: handle.name,
      uuid: formatUuid(handle.uuid),
      id: handle.id,
      handle,
    }
    const rawOut = raw ? (Object.create(null) as Record<string, TypedParamScalar>) : undefined
    const at = r.offset
    const n = r.uint()
    if (n > REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX) {
      throw new XdrError(
        `array count ${n} exceeds maximum ${REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX}`,
        at,
      )
    }
    if (n * MIN_PARAM_SIZE > r.remaining) {
      throw new XdrError(`array count ${n} exceeds the ${r.remaining} bytes left`, at)
    }
    for (let i = 0; i < n; i++) {
      const field = r.string(REMOTE_STRING_MAX)
      const typeAt = r.offset
      const type = r.int()
      let v: StatValue
      let exact: TypedParamScalar | undefined
      switch (type) {
        case TypedParameterType.INT:
          v = r.int()
          break
        case TypedParameterType.UINT:
          v = r.uint()
          break
        case TypedParameterType.LLONG:
          v = r.int() * TWO_32 + r.uint()
          if (rawOut && !Number.isSafeInteger(v)) exact = safeNumber(readBack(r, true))
          break
        case TypedParameterType.ULLONG:
          v = r.uint() * TWO_32 + r.uint()
          if (rawOut && !Number.isSafeInteger(v)) exact = safeNumber(readBack(r, false))
          break
        case TypedParameterType.DOUBLE:
          v = r.double()
          break
        case TypedParameterType.BOOLEAN:
          v = r.int() !== 0
          break
        case TypedParameterType.STRING:
          v = r.string(REMOTE_STRING_MAX)
          break
        default:
          throw new XdrError(`remote_typed_param_value: no arm for type ${type}`, typeAt)
      }
      storeStat(s, field, v)
      if (rawOut) rawOut[field] = exact ?? v
    }
    if (rawOut) s.raw = rawOut
    return s
  }
  return (r) => r.array(REMOTE_DOMAIN_LIST_MAX, decodeRecord)
}

/** Re-reads the 8 bytes just consumed as an exact bigint (rare: beyond 2^53). */
function readBack(r: XdrReader, signed: boolean): bigint {
  r.offset -= 8
  return signed ? r.hyper() : r.uhyper()
}

/**
 * The same result from records decoded by the generated codec, e.g. the `retStats` of
 * `remote.connectGetAllDomainStats` (slower than {@link domainStatsDecoder}: it goes
 * through a TypedParam object and a bigint per counter).
 */
export function domainStatsFromRecords(
  records: readonly DomainStatsRecord[],
  raw = false,
): DomainStats[] {
  return records.map((rec) => {
    const s: DomainStats = {
      name: rec.dom.name,
      uuid: formatUuid(rec.dom.uuid),
      id: rec.dom.id,
      handle: rec.dom,
    }
    const rawOut = raw ? (Object.create(null) as Record<string, TypedParamScalar>) : undefined
    for (const p of rec.params) {
      const exact = typedParamValue(p.value)
      storeStat(s, p.field, typeof exact === 'bigint' ? Number(exact) : exact)
      if (rawOut) rawOut[p.field] = exact
    }
    if (rawOut) s.raw = rawOut
    return s
  })
}
