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

/** What a URI reaches, for the UI to word in its language: "qemu on server over ssh (System)". */
export const UriTarget = z.object({
  driver: z.string(),
  transport: z.string(),
  user: z.string().optional(),
  /** Absent for this machine. */
  host: z.string().optional(),
  port: z.number().int().optional(),
  scope: z.enum(['system', 'session']).optional(),
})
/** What a URI reaches. */
export type UriTarget = z.infer<typeof UriTarget>

/** A host the user keeps in the sidebar. */
export const HostEntry = z.object({
  id: z.string(),
  /** The name the user gave it; absent, the UI words one from `target` in its language. */
  name: z.string().optional(),
  uri: z.string(),
  target: UriTarget,
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

/** A key a known_hosts file records for a host, as a warning about a changed key shows it. */
export const KnownHostKey = z.object({
  file: z.string(),
  /** 1-based line number. */
  line: z.number().int(),
  keyType: z.string(),
  /** `SHA256:…`, as OpenSSH shows it. */
  fingerprint: z.string(),
})
/** A key a known_hosts file records for a host. */
export type KnownHostKey = z.infer<typeof KnownHostKey>

/** The key an SSH server showed; for a changed key, also what known_hosts records instead. */
export const HostKeyFacts = z.object({
  /** The known_hosts name: `host`, or `[host]:port` when the port is not 22. */
  host: z.string(),
  keyType: z.string(),
  /** `SHA256:…`, as OpenSSH shows it. */
  fingerprint: z.string(),
  /** For a changed key: the lines holding another key (to be fixed by hand, never from the UI). */
  known: z.array(KnownHostKey).optional(),
  /** The server's key is marked @revoked, not just different. */
  revoked: z.boolean().optional(),
})
/** The key an SSH server showed. */
export type HostKeyFacts = z.infer<typeof HostKeyFacts>

/** Why a question to the user got no answer: declined, no answer in time, or the window closed. */
export const Unanswered = z.enum(['cancelled', 'timeout', 'closed'])
/** Why a question to the user got no answer. */
export type Unanswered = z.infer<typeof Unanswered>

/** Why a connection failed, in words the UI can show and a kind it can act on. */
export const ConnectionProblem = z.object({
  kind: z.enum([
    'permission-denied',
    'not-running',
    'unreachable',
    'auth',
    'lost',
    /** The SSH host key is not known and the user did not trust it. */
    'host-key-unknown',
    /** The SSH host key differs from the recorded one: refused, the user must fix known_hosts. */
    'host-key-changed',
    /** A password or passphrase question was cancelled, timed out or lost its window. */
    'unanswered',
    'other',
  ]),
  message: z.string(),
  /** For host-key-unknown and host-key-changed. */
  hostKey: HostKeyFacts.optional(),
  /** For unanswered, and host-key-unknown after the user was asked. */
  unanswered: Unanswered.optional(),
})

/** Identifies one question to the user; answers quote it. */
export const PromptId = z.uuid()

/** "Trust this host?": an SSH host key seen for the first time. */
export const HostKeyPrompt = z.object({
  id: PromptId,
  kind: z.literal('host-key'),
  /** The known_hosts name: `host`, or `[host]:port`. */
  host: z.string(),
  keyType: z.string(),
  /** `SHA256:…`, as OpenSSH shows it. */
  fingerprint: z.string(),
  /**
   * Where trusting saves the key (the app's own known_hosts). Absent when the URI names its
   * own known_hosts file: trust then lasts until the app quits.
   */
  saveTo: z.string().optional(),
  /** Key types known_hosts already records for this host (the server now shows another). */
  otherKnownTypes: z.array(z.string()),
})

/** What a secret is asked for. SASL (libvirt's own authentication) reuses the same prompt. */
export const SecretPurpose = z.enum(['ssh-password', 'ssh-passphrase', 'sasl'])

/** A password, passphrase or SASL credential the connection needs. Never carries the secret. */
export const SecretPrompt = z.object({
  id: PromptId,
  kind: z.literal('secret'),
  purpose: SecretPurpose,
  /** Who asks: `user@host:port`, or the key file for a passphrase. */
  target: z.string(),
  /** The server's own prompt (keyboard-interactive, SASL), if it sent one. */
  serverPrompt: z.string().optional(),
  /** When set, a user name is asked too, starting with this value (SASL). */
  username: z.string().optional(),
  /** The previous answer was refused: what the server said. */
  refused: z.string().optional(),
})

/** A question main waits on while a host connects; other hosts keep connecting meanwhile. */
export const HostPrompt = z.discriminatedUnion('kind', [HostKeyPrompt, SecretPrompt])
/** A question main waits on while a host connects. */
export type HostPrompt = z.infer<typeof HostPrompt>

/** The user's answer to a prompt. `cancel` answers any prompt. */
export const PromptAnswer = z.discriminatedUnion('kind', [
  /** Trust the host key (only for host-key prompts). */
  z.object({ kind: z.literal('trust') }),
  /** The secret (only for secret prompts). `remember`: keep it in memory until the app quits. */
  z.object({
    kind: z.literal('secret'),
    secret: z.string().max(4096, 'The answer is too long'),
    username: z.string().trim().min(1).max(256).optional(),
    remember: z.boolean(),
  }),
  z.object({ kind: z.literal('cancel') }),
])
/** The user's answer to a prompt. */
export type PromptAnswer = z.infer<typeof PromptAnswer>

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
  /** While connecting: the question the connection waits on. */
  prompt: HostPrompt.optional(),
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
const HostName = z.string().trim().max(80)
const Uri = z.string().trim().min(1, 'The URI cannot be empty').max(2048)

/** The host registry and local daemon discovery. */
export const hosts = service('hosts', {
  discoverLocal: method(z.void(), LocalDiscovery),
  list: method(z.void(), z.array(HostEntry)),
  /** Checks a URI without saving it: returns what it reaches or fails with UriError. */
  checkUri: method(z.object({ uri: Uri }), z.object({ target: UriTarget })),
  add: method(z.object({ uri: Uri, name: HostName.optional() }), HostEntry),
  /** An empty name brings back the default one. */
  rename: method(z.object({ id: HostId, name: HostName }), HostEntry),
  remove: method(z.object({ id: HostId }), z.void()),
  onChanged: event(z.array(HostEntry)),
  /** Every host's connection, for the first paint. */
  connections: method(z.void(), z.array(HostConnection)),
  /** Connects now (also cancels a pending retry's wait). */
  connect: method(z.object({ id: HostId }), z.void()),
  disconnect: method(z.object({ id: HostId }), z.void()),
  onConnectionChanged: event(HostConnection),
  /** Answers a connection's pending prompt (see HostConnection.prompt). */
  answerPrompt: method(z.object({ id: PromptId, answer: PromptAnswer }), z.void()),
  /** Facts about a connected host (one round trip plus the capabilities XML). */
  overview: method(z.object({ id: HostId }), HostOverview),
})
