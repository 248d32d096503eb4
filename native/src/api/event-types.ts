/**
 * The events this client subscribes to, as typed plain objects, and how each one is
 * registered and decoded (protocol README section 12, `event_families` in protocol.json).
 *
 * Every event is a MESSAGE packet (serial 1) of the remote program whose body is the event
 * procedure's `msg` struct. The callback-style messages start with `int callbackID`, the
 * id the register call returned, e.g. DOMAIN_EVENT_CALLBACK_LIFECYCLE (318):
 *
 *   callbackID int | dom: name string, uuid opaque[16], id int | event int | detail int
 *
 * CONNECT_EVENT_CONNECTION_CLOSED (362) carries only `int reason` (one registration per
 * connection, no id).
 */
import { formatUuid } from './format'
import {
  agentReasonName,
  agentStateName,
  closeReasonName,
  domainEventDetailName,
  domainEventName,
  networkEventName,
  storagePoolEventName,
} from './event-names'
import {
  ConnectionCloseEventProcedure,
  DomainEventId,
  DomainEventProcedure,
  NetworkEventId,
  NetworkEventProcedure,
  StoragePoolEventId,
  StoragePoolEventProcedure,
} from '../protocol/generated/flags.gen'
import {
  decodeConnectEventConnectionClosedMsg,
  decodeDomainEventCallbackAgentLifecycleMsg,
  decodeDomainEventCallbackDeviceAddedMsg,
  decodeDomainEventCallbackDeviceRemovalFailedMsg,
  decodeDomainEventCallbackDeviceRemovedMsg,
  decodeDomainEventCallbackJobCompletedMsg,
  decodeDomainEventCallbackLifecycleMsg,
  decodeDomainEventCallbackRebootMsg,
  decodeNetworkEventLifecycleMsg,
  decodeStoragePoolEventLifecycleMsg,
  decodeStoragePoolEventRefreshMsg,
} from '../protocol/generated/remote-codecs.gen'
import type {
  NonnullDomain,
  NonnullNetwork,
  NonnullStoragePool,
} from '../protocol/generated/remote-types.gen'
import { typedParamsToObject, type TypedParamScalar } from '../protocol/typed-params'
import type { Decoder } from '../xdr/codecs'
import { XdrReader } from '../xdr/reader'

/** A domain as an event names it. */
export interface EventDomain {
  name: string
  /** Text form; the stable key of a domain. */
  uuid: string
  /** Its id while running, -1 otherwise. */
  id: number
}

/** A network or storage pool as an event names it. */
export interface EventObject {
  name: string
  uuid: string
}

/** A domain was defined, started, paused, stopped ... (VIR_DOMAIN_EVENT_ID_LIFECYCLE). */
export interface DomainLifecycleEvent {
  domain: EventDomain
  /** virDomainEventType, see DomainEventLifecycle. */
  event: number
  /** Its name: DEFINED, STARTED, STOPPED ... */
  eventName: string
  /** Why; the meaning depends on `event` (e.g. STOPPED + 1 = DESTROYED). */
  detail: number
  /** Its name: BOOTED, DESTROYED, PAUSED ... */
  detailName: string
}

/** The guest rebooted (VIR_DOMAIN_EVENT_ID_REBOOT). */
export interface DomainRebootEvent {
  domain: EventDomain
}

/** A device was added, removed, or its removal failed (by alias, e.g. "virtio-disk1"). */
export interface DomainDeviceEvent {
  domain: EventDomain
  devAlias: string
}

/** A job (migration, save, dump ...) completed, with its statistics. */
export interface DomainJobCompletedEvent {
  domain: EventDomain
  /** The job's typed parameters as plain values: `time_elapsed`, `data_total`, `operation` ... */
  stats: Record<string, TypedParamScalar>
}

/** The guest agent connected or disconnected (VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE). */
export interface DomainAgentLifecycleEvent {
  domain: EventDomain
  state: number
  /** CONNECTED or DISCONNECTED. */
  stateName: string
  reason: number
  /** UNKNOWN, DOMAIN_STARTED or CHANNEL. */
  reasonName: string
}

/** A network was defined, started, stopped or undefined. */
export interface NetworkLifecycleEvent {
  network: EventObject
  event: number
  eventName: string
  detail: number
}

/** A storage pool was defined, started, stopped, built (CREATED), deleted or undefined. */
export interface StoragePoolLifecycleEvent {
  pool: EventObject
  event: number
  eventName: string
  detail: number
}

/** A storage pool was refreshed. */
export interface StoragePoolRefreshEvent {
  pool: EventObject
}

/** The daemon's own connection to its driver closed (virConnectCloseReason). */
export interface ConnectionClosedEvent {
  reason: number
  /** ERROR, EOF, KEEPALIVE or CLIENT. */
  reasonName: string
}

/** Every event kind and the type its subscribers receive. */
export interface EventKinds {
  domainLifecycle: DomainLifecycleEvent
  domainReboot: DomainRebootEvent
  domainDeviceAdded: DomainDeviceEvent
  domainDeviceRemoved: DomainDeviceEvent
  domainDeviceRemovalFailed: DomainDeviceEvent
  domainJobCompleted: DomainJobCompletedEvent
  domainAgentLifecycle: DomainAgentLifecycleEvent
  networkLifecycle: NetworkLifecycleEvent
  storagePoolLifecycle: StoragePoolLifecycleEvent
  storagePoolRefresh: StoragePoolRefreshEvent
  connectionClosed: ConnectionClosedEvent
}

/** One of the event kinds: 'domainLifecycle', 'networkLifecycle' ... */
export type EventKind = keyof EventKinds

/** Which register / deregister procedures an event uses. */
export type EventFamily = 'domain' | 'network' | 'storagePool' | 'connectionClose'

/** A decoded event message: whose registration it belongs to, and the typed event. */
export interface DecodedEvent<E> {
  /** The registration's callbackID; null for CONNECTION_CLOSED, which has none. */
  callbackID: number | null
  event: E
}

/** How one event kind is registered, routed and decoded. */
export interface EventSpec<E> {
  family: EventFamily
  /** The event id given to the register call (-1 for connectionClose). */
  eventId: number
  /** The remote procedure its MESSAGE packets carry. */
  procedure: number
  /**
   * Decodes a MESSAGE body.
   * @throws XdrError if the body does not decode exactly
   */
  decode(body: Uint8Array): DecodedEvent<E>
}

/** Decodes a whole body with `decoder`, refusing trailing bytes. */
function whole<M>(decoder: Decoder<M>, body: Uint8Array): M {
  const r = new XdrReader(body)
  const m = decoder(r)
  r.expectEnd()
  return m
}

function domainOf(d: NonnullDomain): EventDomain {
  return { name: d.name, uuid: formatUuid(d.uuid), id: d.id }
}

function objectOf(o: NonnullNetwork | NonnullStoragePool): EventObject {
  return { name: o.name, uuid: formatUuid(o.uuid) }
}

/** A spec whose message is `{ callbackID, ...rest }` mapped to an event by `map`. */
function callbackSpec<M extends { callbackID: number }, E>(
  family: EventFamily,
  eventId: number,
  procedure: number,
  decoder: Decoder<M>,
  map: (m: M) => E,
): EventSpec<E> {
  return {
    family,
    eventId,
    procedure,
    decode(body) {
      const m = whole(decoder, body)
      return { callbackID: m.callbackID, event: map(m) }
    },
  }
}

const deviceEvent = (m: { dom: NonnullDomain; devAlias: string }): DomainDeviceEvent => ({
  domain: domainOf(m.dom),
  devAlias: m.devAlias,
})

/** The spec of every event kind. */
export const EVENT_SPECS: { readonly [K in EventKind]: EventSpec<EventKinds[K]> } = {
  domainLifecycle: callbackSpec(
    'domain',
    DomainEventId.LIFECYCLE,
    DomainEventProcedure.LIFECYCLE,
    decodeDomainEventCallbackLifecycleMsg,
    // msg: remote_domain_event_lifecycle_msg { dom, event, detail }, nested after callbackID
    ({ msg }) => ({
      domain: domainOf(msg.dom),
      event: msg.event,
      eventName: domainEventName(msg.event),
      detail: msg.detail,
      detailName: domainEventDetailName(msg.event, msg.detail),
    }),
  ),
  domainReboot: callbackSpec(
    'domain',
    DomainEventId.REBOOT,
    DomainEventProcedure.REBOOT,
    decodeDomainEventCallbackRebootMsg,
    ({ msg }) => ({ domain: domainOf(msg.dom) }),
  ),
  domainDeviceAdded: callbackSpec(
    'domain',
    DomainEventId.DEVICE_ADDED,
    DomainEventProcedure.DEVICE_ADDED,
    decodeDomainEventCallbackDeviceAddedMsg,
    deviceEvent,
  ),
  domainDeviceRemoved: callbackSpec(
    'domain',
    DomainEventId.DEVICE_REMOVED,
    DomainEventProcedure.DEVICE_REMOVED,
    decodeDomainEventCallbackDeviceRemovedMsg,
    ({ msg }) => deviceEvent(msg),
  ),
  domainDeviceRemovalFailed: callbackSpec(
    'domain',
    DomainEventId.DEVICE_REMOVAL_FAILED,
    DomainEventProcedure.DEVICE_REMOVAL_FAILED,
    decodeDomainEventCallbackDeviceRemovalFailedMsg,
    deviceEvent,
  ),
  domainJobCompleted: callbackSpec(
    'domain',
    DomainEventId.JOB_COMPLETED,
    DomainEventProcedure.JOB_COMPLETED,
    decodeDomainEventCallbackJobCompletedMsg,
    (m) => ({ domain: domainOf(m.dom), stats: typedParamsToObject(m.params) }),
  ),
  domainAgentLifecycle: callbackSpec(
    'domain',
    DomainEventId.AGENT_LIFECYCLE,
    DomainEventProcedure.AGENT_LIFECYCLE,
    decodeDomainEventCallbackAgentLifecycleMsg,
    (m) => ({
      domain: domainOf(m.dom),
      state: m.state,
      stateName: agentStateName(m.state),
      reason: m.reason,
      reasonName: agentReasonName(m.reason),
    }),
  ),
  networkLifecycle: callbackSpec(
    'network',
    NetworkEventId.LIFECYCLE,
    NetworkEventProcedure.LIFECYCLE,
    decodeNetworkEventLifecycleMsg,
    (m) => ({
      network: objectOf(m.net),
      event: m.event,
      eventName: networkEventName(m.event),
      detail: m.detail,
    }),
  ),
  storagePoolLifecycle: callbackSpec(
    'storagePool',
    StoragePoolEventId.LIFECYCLE,
    StoragePoolEventProcedure.LIFECYCLE,
    decodeStoragePoolEventLifecycleMsg,
    (m) => ({
      pool: objectOf(m.pool),
      event: m.event,
      eventName: storagePoolEventName(m.event),
      detail: m.detail,
    }),
  ),
  storagePoolRefresh: callbackSpec(
    'storagePool',
    StoragePoolEventId.REFRESH,
    StoragePoolEventProcedure.REFRESH,
    decodeStoragePoolEventRefreshMsg,
    (m) => ({ pool: objectOf(m.pool) }),
  ),
  connectionClosed: {
    family: 'connectionClose',
    eventId: -1,
    procedure: ConnectionCloseEventProcedure.CONNECTION_CLOSED,
    decode(body) {
      // remote_connect_event_connection_closed_msg: reason int (no callbackID)
      const { reason } = whole(decodeConnectEventConnectionClosedMsg, body)
      return { callbackID: null, event: { reason, reasonName: closeReasonName(reason) } }
    },
  },
}
