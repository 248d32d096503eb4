/** The public surface of Virtdeck's libvirt client; electron/main imports only this. */
export * from './transport/uri'

// Connecting and everyday calls.
export { connect, Connection } from './api/connection'
export type { ConnectOptions, DomainStateInfo, DomainSummary } from './api/connection'
export type { AuthMethod } from './api/auth'
export { formatUuid, formatVersion, parseUuid } from './api/format'

// Errors and predicates.
export * from './rpc/errors'

// The RPC layer, for events and streams built on top, and for other transports.
export type { CallOptions, RpcCaller } from './rpc/caller'
export { RpcClient } from './rpc/client'
export type { RpcClientOptions, StartedCall, StreamPacketHandler } from './rpc/client'
export { Keepalive } from './rpc/keepalive'
export type { KeepaliveOptions } from './rpc/keepalive'
export type { Packet, PacketHeader } from './rpc/packet'
export type { Disposable } from './util/disposable'

// Transports.
export { duplexTransport } from './transport/transport'
export type { RpcTransport } from './transport/transport'
export { connectUnix, SYSTEM_SOCKET, SYSTEM_SOCKET_RO } from './transport/unix'
export { connectTcp, DEFAULT_TCP_PORT } from './transport/tcp'
export type { ConnectTransportOptions } from './transport/net-connect'

// Generated protocol layer: typed calls, every wire type, constants and flag values.
export { RemoteCalls } from './protocol/generated/remote-calls.gen'
export type { RemoteEventMessages } from './protocol/generated/remote-calls.gen'
export { QemuCalls } from './protocol/generated/qemu-calls.gen'
export { LxcCalls } from './protocol/generated/lxc-calls.gen'
export { AdminCalls } from './protocol/generated/admin-calls.gen'
export type * from './protocol/generated/remote-types.gen'
export type * from './protocol/generated/qemu-types.gen'
export { AuthType, RemoteProcedure } from './protocol/generated/remote-types.gen'
export * from './protocol/generated/flags.gen'
