/** The public surface of Virtdeck's libvirt client; electron/main imports only this. */
export * from './transport/uri'
export * from './transport/uri-problems'

// Connecting and everyday calls.
export { connect, Connection } from './api/connection'
export type { ConnectOptions, DomainStateInfo, DomainSummary } from './api/connection'
export type { AuthMethod, AuthResult } from './api/auth'

// SASL logins (SCRAM-SHA-256, SCRAM-SHA-1, PLAIN): credentials, mechanism choice, errors.
export type { Credentials, CredentialsRequest, CredentialsSource } from './sasl/credentials'
export { localUserName } from './sasl/credentials'
export {
  chooseMechanism,
  parseMechanismList,
  SUPPORTED_SASL_MECHANISMS,
  transportProtection,
} from './sasl/sasl-choice'
export type {
  MechanismChoice,
  SupportedSaslMechanism,
  TransportProtection,
} from './sasl/sasl-choice'
export * from './sasl/sasl-errors'
export { formatUuid, formatVersion, parseUuid } from './api/format'

// Opening a connection from a URI: qemu:///system, qemu+ssh://user@host/system, qemu+tls://...
export { connectUri, openTransport } from './api/open-uri'
export type { ConnectUriOptions, SshConnectOptions } from './api/open-uri'
export { planConnection } from './api/connection-plan'
export type {
  ConnectionPlan,
  PlanOptions,
  SshPlan,
  TcpPlan,
  TlsPlan,
  UnixPlan,
} from './api/connection-plan'

// High-level API: host, domains, lifecycle, bulk stats, typed parameters.
export * from './api/host'
export * from './api/domains'
export * from './api/domain-info'
export * from './api/volumes'
export * from './api/lifecycle'
export * from './api/jobs'
export * from './api/stats'
export type * from './api/stats-types'
export { domainStateName, domainStatsFromRecords } from './api/stats-decode'
export * from './protocol/typed-params'

// Events and streams: conn.events, consoles, screenshots, libvirt streams as Duplexes.
export { EventHub, forDomain } from './api/events'
export type { EventStream, EventSubscription, IterateOptions, SubscribeOptions } from './api/events'
export type * from './api/event-types'
export { EVENT_SPECS } from './api/event-types'
export * from './api/event-names'
export { openChannel, openConsole, screenshot } from './api/console'
export type { ConsoleOptions, Screenshot, ScreenshotOptions, StreamHost } from './api/console'
export { duplexFlowControl, VirStream } from './rpc/streams'
export type { StreamDirection, StreamFlowControl, StreamOptions } from './rpc/streams'
export { openStream } from './rpc/open-stream'
export type { OpenedStream, StreamCall } from './rpc/open-stream'
export { StreamClosedError, StreamOverflowError } from './rpc/stream-errors'
export { STREAM_CHUNK_MAX } from './rpc/stream-packets'
export type { StreamId } from './rpc/stream-packets'

// Storage: pools and volumes listed, volume upload and download (plain or sparse).
export * from './api/storage'
export * from './api/volume-transfer'
export { isAllZero, sparsify, writeSparse, ZERO_BLOCK_SIZE } from './api/sparse-data'
export type { TransferSummary } from './api/sparse-data'
export { chunkLength, isHole, toSparseChunk } from './rpc/sparse-chunk'
export type { DataChunk, HoleChunk, SparseChunk, SparseInput } from './rpc/sparse-chunk'

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
export { connectTls, DEFAULT_TLS_PORT } from './transport/tls'
export type { TlsConnectOptions } from './transport/tls'
export { resolvePkiFiles, TlsConfigError } from './transport/tls-pki'
export type { PkiEnvironment, PkiFiles } from './transport/tls-pki'
export { localSocketPath, remoteSocketPath, driverDaemon } from './transport/socket-paths'
export type { SocketChoice, SocketEnvironment, SocketMode } from './transport/socket-paths'

// SSH: sessions, host keys and known_hosts, credentials, typed errors.
export { SshSession } from './transport/ssh'
export type { SshChannelOptions, SshSessionOptions } from './transport/ssh'
export type { PasswordRequest, SshAuthName, SshCredentials } from './transport/ssh-auth'
export { planSshRoutes } from './transport/ssh-routes'
export type { SshRoute, SshVia } from './transport/ssh-routes'
export { checkHostKey, defaultKnownHostsFile, hostKeyPolicies } from './transport/host-key'
export type {
  HostKeyDecision,
  HostKeyOptions,
  HostKeyPolicy,
  HostKeyVerdict,
  UnknownHostKey,
} from './transport/host-key'
export {
  fingerprintSha256,
  formatKnownHostsLine,
  parseKnownHosts,
  readKnownHostsFile,
} from './transport/known-hosts'
export type { KnownHostEntry, KnownHostsProblem } from './transport/known-hosts'
export * from './transport/ssh-errors'

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
