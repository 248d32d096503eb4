import { describe, expect, it } from 'vitest'
import { asciiPadded, bytes } from '../../test/vectors/hex'
import { LIFECYCLE_EVENT } from '../../test/vectors/readme-packets'
import { parsePacket } from '../rpc/packet'
import { XdrError } from '../xdr/xdr-error'
import {
  agentStateName,
  closeReasonName,
  domainEventDetailName,
  domainEventName,
  storagePoolEventName,
} from './event-names'
import { EVENT_SPECS } from './event-types'

/** A remote_nonnull_domain "vm1", uuid 00112233-4455-6677-8899-aabbccddeeff, id 7. */
const DOM_VM1 = `
  00 00 00 03             | dom.name length 3
  ${asciiPadded('vm1')}   | "vm1" + 1 pad
  00 11 22 33 44 55 66 77 | dom.uuid (16 raw bytes, no length)
  88 99 aa bb cc dd ee ff |
  00 00 00 07             | dom.id = 7
`
const VM1 = { name: 'vm1', uuid: '00112233-4455-6677-8899-aabbccddeeff', id: 7 }

describe('event decoding', () => {
  it('DOMAIN_EVENT_CALLBACK_LIFECYCLE (318): the README packet', () => {
    const p = parsePacket(LIFECYCLE_EVENT.subarray(4))
    expect(p.header.procedure).toBe(EVENT_SPECS.domainLifecycle.procedure)
    expect(EVENT_SPECS.domainLifecycle.decode(p.body)).toEqual({
      callbackID: 11,
      event: {
        domain: {
          name: 'xdr2json-probe-18031',
          uuid: '4e03ab12-a64f-4bdc-8e0f-a65298c4eed7',
          id: 13,
        },
        event: 4,
        eventName: 'RESUMED',
        detail: 0,
        detailName: 'UNPAUSED',
      },
    })
  })

  it('DOMAIN_EVENT_CALLBACK_LIFECYCLE: stopped, destroyed', () => {
    const body = bytes(`
      00 00 00 2a | callbackID = 42
      ${DOM_VM1}
      00 00 00 05 | event = 5 STOPPED
      00 00 00 01 | detail = 1 DESTROYED
    `)
    expect(EVENT_SPECS.domainLifecycle.decode(body).event).toEqual({
      domain: VM1,
      event: 5,
      eventName: 'STOPPED',
      detail: 1,
      detailName: 'DESTROYED',
    })
  })

  it('DOMAIN_EVENT_CALLBACK_REBOOT (319)', () => {
    const body = bytes(`
      00 00 00 02 | callbackID = 2
      ${DOM_VM1}  | msg: remote_domain_event_reboot_msg { dom }
    `)
    expect(EVENT_SPECS.domainReboot.decode(body)).toEqual({
      callbackID: 2,
      event: { domain: VM1 },
    })
  })

  it('DOMAIN_EVENT_CALLBACK_DEVICE_ADDED (354) and _REMOVED (333)', () => {
    const body = bytes(`
      00 00 00 03 | callbackID = 3
      ${DOM_VM1}
      00 00 00 06 | devAlias length 6
      ${asciiPadded('input2')} | "input2" + 2 pad
    `)
    const expected = { callbackID: 3, event: { domain: VM1, devAlias: 'input2' } }
    expect(EVENT_SPECS.domainDeviceAdded.decode(body)).toEqual(expected)
    // DEVICE_REMOVED nests the legacy msg { dom, devAlias } after callbackID: same bytes.
    expect(EVENT_SPECS.domainDeviceRemoved.decode(body)).toEqual(expected)
    expect(EVENT_SPECS.domainDeviceRemovalFailed.decode(body)).toEqual(expected)
  })

  it('DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE (348)', () => {
    const body = bytes(`
      00 00 00 04 | callbackID = 4
      ${DOM_VM1}
      00 00 00 01 | state = 1 CONNECTED
      00 00 00 02 | reason = 2 CHANNEL
    `)
    expect(EVENT_SPECS.domainAgentLifecycle.decode(body).event).toEqual({
      domain: VM1,
      state: 1,
      stateName: 'CONNECTED',
      reason: 2,
      reasonName: 'CHANNEL',
    })
  })

  it('DOMAIN_EVENT_CALLBACK_JOB_COMPLETED (363) with typed parameters', () => {
    const body = bytes(`
      00 00 00 05 | callbackID = 5
      ${DOM_VM1}
      00 00 00 02 | params<>: 2
      00 00 00 09 | field length 9
      ${asciiPadded('operation')} | "operation" + 3 pad
      00 00 00 01 | type 1 INT
      00 00 00 02 | i = 2 (SAVE)
      00 00 00 0c | field length 12
      ${asciiPadded('time_elapsed')} | "time_elapsed"
      00 00 00 04 | type 4 ULLONG
      00 00 00 00 00 00 04 d2 | ul = 1234
    `)
    expect(EVENT_SPECS.domainJobCompleted.decode(body).event).toEqual({
      domain: VM1,
      stats: { operation: 2, time_elapsed: 1234 },
    })
  })

  it('NETWORK_EVENT_LIFECYCLE (315) and STORAGE_POOL_EVENT_LIFECYCLE (370)', () => {
    const object = `
      00 00 00 03             | name length 3
      ${asciiPadded('net')}   | "net"
      00 11 22 33 44 55 66 77 | uuid
      88 99 aa bb cc dd ee ff |
    `
    const net = bytes(`
      00 00 00 06 | callbackID = 6
      ${object}   | net: remote_nonnull_network (no id)
      00 00 00 02 | event = 2 STARTED
      00 00 00 00 | detail = 0
    `)
    const obj = { name: 'net', uuid: '00112233-4455-6677-8899-aabbccddeeff' }
    expect(EVENT_SPECS.networkLifecycle.decode(net)).toEqual({
      callbackID: 6,
      event: { network: obj, event: 2, eventName: 'STARTED', detail: 0 },
    })
    const pool = bytes(`
      00 00 00 07 | callbackID = 7
      ${object}   | pool: remote_nonnull_storage_pool
      00 00 00 04 | event = 4 CREATED
      00 00 00 00 | detail = 0
    `)
    expect(EVENT_SPECS.storagePoolLifecycle.decode(pool).event).toEqual({
      pool: obj,
      event: 4,
      eventName: 'CREATED',
      detail: 0,
    })
  })

  it('CONNECT_EVENT_CONNECTION_CLOSED (362) has no callbackID', () => {
    const body = bytes(`00 00 00 02 | reason = 2 KEEPALIVE`)
    expect(EVENT_SPECS.connectionClosed.decode(body)).toEqual({
      callbackID: null,
      event: { reason: 2, reasonName: 'KEEPALIVE' },
    })
  })

  it('refuses truncated bodies and trailing bytes', () => {
    const body = LIFECYCLE_EVENT.subarray(4 + 24)
    expect(() => EVENT_SPECS.domainLifecycle.decode(body.subarray(0, body.length - 1))).toThrow(
      XdrError,
    )
    const longer = new Uint8Array(body.length + 4)
    longer.set(body)
    expect(() => EVENT_SPECS.domainLifecycle.decode(longer)).toThrow(XdrError)
  })

  it('every kind has a distinct procedure', () => {
    const procs = Object.values(EVENT_SPECS).map((s) => s.procedure)
    expect(new Set(procs).size).toBe(procs.length)
  })
})

describe('event names', () => {
  it('names lifecycle events and details; unknown numbers stay visible', () => {
    expect(domainEventName(2)).toBe('STARTED')
    expect(domainEventDetailName(2, 0)).toBe('BOOTED')
    expect(domainEventDetailName(3, 0)).toBe('PAUSED')
    expect(domainEventDetailName(6, 2)).toBe('HOST')
    expect(domainEventDetailName(8, 1)).toBe('CRASHLOADED')
    expect(domainEventName(99)).toBe('UNKNOWN(99)')
    expect(domainEventDetailName(5, 42)).toBe('UNKNOWN(42)')
    expect(storagePoolEventName(5)).toBe('DELETED')
    expect(agentStateName(2)).toBe('DISCONNECTED')
    expect(closeReasonName(3)).toBe('CLIENT')
  })
})
