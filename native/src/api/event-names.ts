/**
 * Names of the numbers events carry. The lifecycle `event` codes come from protocol.json's
 * lifecycle tables (generated into flags.gen.ts). The `detail` codes, agent states and
 * close reasons are not in protocol.json: they are transcribed from libvirt's public
 * headers (libvirt-domain.h, libvirt-host.h), checked against python3-libvirt 9.0.0's
 * constants. libvirt only ever appends to these enums, so an unknown number is shown as
 * `UNKNOWN(n)` rather than rejected.
 */
import {
  DomainEventLifecycle,
  NetworkEventLifecycle,
  StoragePoolEventLifecycle,
} from '../protocol/generated/flags.gen'

function reverse(table: Readonly<Record<string, number>>): ReadonlyMap<number, string> {
  return new Map(Object.entries(table).map(([k, v]) => [v, k]))
}

function nameIn(table: ReadonlyMap<number, string> | undefined, n: number): string {
  return table?.get(n) ?? `UNKNOWN(${n})`
}

const DOMAIN_EVENTS = reverse(DomainEventLifecycle)
const NETWORK_EVENTS = reverse(NetworkEventLifecycle)
const POOL_EVENTS = reverse(StoragePoolEventLifecycle)

/** VIR_DOMAIN_EVENT_<EVENT>_<DETAIL>, by lifecycle event code then detail code. */
const DOMAIN_DETAILS: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map([
  [DomainEventLifecycle.DEFINED, list('ADDED', 'UPDATED', 'RENAMED', 'FROM_SNAPSHOT')],
  [DomainEventLifecycle.UNDEFINED, list('REMOVED', 'RENAMED')],
  [
    DomainEventLifecycle.STARTED,
    // RECREATED (5) is libvirt 10.x's; python3-libvirt 9.0.0 stops at WAKEUP.
    list('BOOTED', 'MIGRATED', 'RESTORED', 'FROM_SNAPSHOT', 'WAKEUP', 'RECREATED'),
  ],
  [
    DomainEventLifecycle.SUSPENDED,
    list(
      'PAUSED',
      'MIGRATED',
      'IOERROR',
      'WATCHDOG',
      'RESTORED',
      'FROM_SNAPSHOT',
      'API_ERROR',
      'POSTCOPY',
      'POSTCOPY_FAILED',
    ),
  ],
  [
    DomainEventLifecycle.RESUMED,
    list('UNPAUSED', 'MIGRATED', 'FROM_SNAPSHOT', 'POSTCOPY', 'POSTCOPY_FAILED'),
  ],
  [
    DomainEventLifecycle.STOPPED,
    list('SHUTDOWN', 'DESTROYED', 'CRASHED', 'MIGRATED', 'SAVED', 'FAILED', 'FROM_SNAPSHOT'),
  ],
  [DomainEventLifecycle.SHUTDOWN, list('FINISHED', 'GUEST', 'HOST')],
  [DomainEventLifecycle.PMSUSPENDED, list('MEMORY', 'DISK')],
  [DomainEventLifecycle.CRASHED, list('PANICKED', 'CRASHLOADED')],
])

/** virConnectDomainEventAgentLifecycleState (VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_*). */
const AGENT_STATES = new Map([
  [1, 'CONNECTED'],
  [2, 'DISCONNECTED'],
])
/** virConnectDomainEventAgentLifecycleReason. */
const AGENT_REASONS = list('UNKNOWN', 'DOMAIN_STARTED', 'CHANNEL')
/** virConnectCloseReason (VIR_CONNECT_CLOSE_REASON_*). */
const CLOSE_REASONS = list('ERROR', 'EOF', 'KEEPALIVE', 'CLIENT')

/** Names numbered from 0. */
function list(...names: string[]): ReadonlyMap<number, string> {
  return new Map(names.map((n, i) => [i, n]))
}

/** `STARTED` for 2 (virDomainEventType). */
export function domainEventName(event: number): string {
  return nameIn(DOMAIN_EVENTS, event)
}

/** `DESTROYED` for event STOPPED (5), detail 1: the detail's meaning depends on the event. */
export function domainEventDetailName(event: number, detail: number): string {
  return nameIn(DOMAIN_DETAILS.get(event), detail)
}

/** `STARTED` for 2 (virNetworkEventLifecycleType). */
export function networkEventName(event: number): string {
  return nameIn(NETWORK_EVENTS, event)
}

/** `CREATED` for 4 (virStoragePoolEventLifecycleType). */
export function storagePoolEventName(event: number): string {
  return nameIn(POOL_EVENTS, event)
}

/** `CONNECTED` for 1 (guest agent state). */
export function agentStateName(state: number): string {
  return nameIn(AGENT_STATES, state)
}

/** `CHANNEL` for 2 (why the guest agent state changed). */
export function agentReasonName(reason: number): string {
  return nameIn(AGENT_REASONS, reason)
}

/** `KEEPALIVE` for 2 (why the daemon's connection to its driver closed). */
export function closeReasonName(reason: number): string {
  return nameIn(CLOSE_REASONS, reason)
}
