import { z } from 'zod'
import { event, method, service } from './define'

/** Which libvirt daemon a local socket belongs to. */
export const DaemonKind = z.enum(['libvirtd', 'virtqemud', 'virtproxyd'])

/** What probing a local socket found. */
export const SocketStatus = z.enum([
  /** The socket accepted a connection. */
  'answering',
  /** The socket exists but this user may not open it (not in the libvirt group). */
  'permission-denied',
  /** The socket file exists but nothing listens (a daemon that died). */
  'not-answering',
])

/** A libvirt daemon socket found on this machine. */
export const LocalDaemon = z.object({
  uri: z.string(),
  scope: z.enum(['system', 'session']),
  daemon: DaemonKind,
  socketPath: z.string(),
  readOnly: z.boolean(),
  status: SocketStatus,
  /** Whether a host with this URI is already in the registry. */
  added: z.boolean(),
})
/** A libvirt daemon socket found on this machine. */
export type LocalDaemon = z.infer<typeof LocalDaemon>

/** The result of looking for local daemons, with advice when none is usable. */
export const LocalDiscovery = z.object({
  daemons: z.array(LocalDaemon),
  /** linux, darwin, win32: the UI words its install advice for it. */
  platform: z.string(),
})
/** The result of looking for local daemons. */
export type LocalDiscovery = z.infer<typeof LocalDiscovery>

/** A host the user keeps in the sidebar. */
export const HostEntry = z.object({
  id: z.string(),
  name: z.string(),
  uri: z.string(),
  /** A one-line description of the URI: driver, where, transport, scope. */
  summary: z.string(),
  isLocal: z.boolean(),
  addedAt: z.string(),
})
/** A host the user keeps in the sidebar. */
export type HostEntry = z.infer<typeof HostEntry>

/** Where a host's connection stands. */
export const ConnectionStatus = z.enum([
  'connecting',
  'connected',
  /** Lost or not reachable yet; another attempt follows after `retryInMs`. */
  'reconnecting',
  /** Failed in a way retrying will not fix (permission, authentication, bad URI). */
  'failed',
  /** Closed by the user. */
  'disconnected',
])

/** Why a connection failed, in words the UI can show and a kind it can act on. */
export const ConnectionProblem = z.object({
  kind: z.enum(['permission-denied', 'not-running', 'unreachable', 'auth', 'lost', 'other']),
  message: z.string(),
})

/** A host's connection as the sidebar shows it. */
export const HostConnection = z.object({
  id: z.string(),
  status: ConnectionStatus,
  readOnly: z.boolean(),
  /** Known once connected. */
  hostname: z.string().optional(),
  libVersion: z.string().optional(),
  problem: ConnectionProblem.optional(),
  /** For reconnecting: when the next attempt starts. */
  retryInMs: z.number().optional(),
  attempt: z.number().int(),
})
/** A host's connection as the sidebar shows it. */
export type HostConnection = z.infer<typeof HostConnection>

/** What the host page shows about a connected host. */
export const HostOverview = z.object({
  hostname: z.string(),
  libVersion: z.string(),
  /** QEMU, TEST ... */
  hypervisor: z.string(),
  hypervisorVersion: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  cpuVendor: z.string().optional(),
  cpus: z.number(),
  sockets: z.number(),
  cores: z.number(),
  threads: z.number(),
  memoryKiB: z.number(),
  /** Huge page pools beyond the base page size, summed over NUMA cells. */
  hugepages: z.array(z.object({ sizeKiB: z.number(), count: z.number() })),
  /** Whether guests of type kvm can run (the `kvm-ok` question). */
  kvm: z.boolean(),
  /** Security drivers besides DAC: apparmor, selinux, or none. */
  securityDrivers: z.array(z.string()),
  /** monolithic libvirtd, modular daemons, or unknown (remote hosts). */
  daemonMode: z.enum(['monolithic', 'modular', 'unknown']),
  scope: z.enum(['system', 'session']).optional(),
})
/** What the host page shows about a connected host. */
export type HostOverview = z.infer<typeof HostOverview>

const HostId = z.string().min(1).max(64)
const HostName = z.string().trim().min(1, 'The name cannot be empty').max(80)
const Uri = z.string().trim().min(1, 'The URI cannot be empty').max(2048)

/** The host registry and local daemon discovery. */
export const hosts = service('hosts', {
  discoverLocal: method(z.void(), LocalDiscovery),
  list: method(z.void(), z.array(HostEntry)),
  /** Checks a URI without saving it: returns its summary or fails with UriError. */
  checkUri: method(z.object({ uri: Uri }), z.object({ summary: z.string() })),
  add: method(z.object({ uri: Uri, name: HostName.optional() }), HostEntry),
  rename: method(z.object({ id: HostId, name: HostName }), HostEntry),
  remove: method(z.object({ id: HostId }), z.void()),
  onChanged: event(z.array(HostEntry)),
  /** Every host's connection, for the first paint. */
  connections: method(z.void(), z.array(HostConnection)),
  /** Connects now (also cancels a pending retry's wait). */
  connect: method(z.object({ id: HostId }), z.void()),
  disconnect: method(z.object({ id: HostId }), z.void()),
  onConnectionChanged: event(HostConnection),
  /** Facts about a connected host (one round trip plus the capabilities XML). */
  overview: method(z.object({ id: HostId }), HostOverview),
})
