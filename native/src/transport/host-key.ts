/**
 * Deciding whether to trust an SSH server's host key: known_hosts first, then the caller's
 * policy for keys that are not recorded. A changed or revoked key is always refused; only
 * a key that is simply unknown reaches the policy (so the UI can ask: accept once, accept
 * and save, or reject).
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { HostKeyMismatchError, HostKeyUnknownError } from './ssh-errors'
import {
  appendKnownHostsLine,
  entryMatches,
  fingerprintSha256,
  formatKnownHostsLine,
  keyTypeOf,
  knownHostsName,
  lookupHostKey,
  readKnownHostsFile,
  type KnownHostEntry,
} from './known-hosts'

/** What to do with a host key that known_hosts does not have. */
export type HostKeyDecision = 'accept-once' | 'accept-and-save' | 'reject'

/** A host key that is not recorded, as shown to the policy (and the user). */
export interface UnknownHostKey {
  /** The host as connected to. */
  host: string
  port: number
  /** The known_hosts name: `host` or `[host]:port`. */
  name: string
  /** e.g. ssh-ed25519. */
  keyType: string
  /** `SHA256:base64`, the form OpenSSH shows. */
  fingerprint: string
  /** Where 'accept-and-save' writes the key. */
  knownHostsFile: string
  /** Key types recorded for this host already (a server that now offers another type). */
  otherKnownTypes: string[]
}

/** Decides about an unknown host key; may ask the user and answer later. */
export type HostKeyPolicy = (key: UnknownHostKey) => HostKeyDecision | Promise<HostKeyDecision>

/** Ready-made policies. */
export const hostKeyPolicies = {
  /** Refuse every unknown key (OpenSSH's StrictHostKeyChecking=yes). The default. */
  reject: (() => 'reject') as HostKeyPolicy,
  /** Accept unknown keys for this connection only (libvirt's no_verify=1). */
  acceptOnce: (() => 'accept-once') as HostKeyPolicy,
  /** Accept unknown keys and record them (StrictHostKeyChecking=accept-new). */
  acceptAndSave: (() => 'accept-and-save') as HostKeyPolicy,
} as const

/** Options for host key checking. */
export interface HostKeyOptions {
  /** The known_hosts file to read and to save accepted keys to. Default ~/.ssh/known_hosts. */
  knownHostsFile?: string
  /**
   * More files to read (never written). Default: /etc/ssh/ssh_known_hosts when
   * `knownHostsFile` is not given (not on Windows), else none.
   */
  extraKnownHostsFiles?: readonly string[]
  /** Called for unknown keys. Default {@link hostKeyPolicies.reject}. */
  hostKeyPolicy?: HostKeyPolicy
  /** Save accepted keys with the host name hashed (`|1|...`). Default false. */
  hashKnownHosts?: boolean
}

/** How a host key came to be trusted. */
export interface HostKeyVerdict {
  how: 'known' | 'accepted-once' | 'saved'
  keyType: string
  fingerprint: string
  /** The matching known_hosts entry, when it was known. */
  entry?: KnownHostEntry
}

/** The user's own known_hosts file: ~/.ssh/known_hosts (also on Windows, like OpenSSH). */
export function defaultKnownHostsFile(home = homedir()): string {
  return join(home, '.ssh', 'known_hosts')
}

/** The system-wide file OpenSSH reads besides the user's (not on Windows). */
export const GLOBAL_KNOWN_HOSTS_FILE = '/etc/ssh/ssh_known_hosts'

/**
 * The files a check reads: the user's file, then the extra files; by default (no file
 * given) also the system-wide one, as OpenSSH does.
 */
export function knownHostsFilesToRead(
  options: HostKeyOptions,
  platform = process.platform,
): string[] {
  const extra =
    options.extraKnownHostsFiles ??
    (options.knownHostsFile === undefined && platform !== 'win32' ? [GLOBAL_KNOWN_HOSTS_FILE] : [])
  return [options.knownHostsFile ?? defaultKnownHostsFile(), ...extra]
}

/**
 * Checks a server's key against known_hosts and, when it is unknown, the policy.
 * @param key the host key blob the server presented
 * @throws HostKeyMismatchError if a recorded key of the same type differs, or it is revoked
 * @throws HostKeyUnknownError if the key is unknown and the policy rejects it
 */
export async function checkHostKey(
  host: string,
  port: number,
  key: Buffer,
  options: HostKeyOptions = {},
): Promise<HostKeyVerdict> {
  const file = options.knownHostsFile ?? defaultKnownHostsFile()
  const files = knownHostsFilesToRead(options)
  const entries: KnownHostEntry[] = []
  for (const f of files) entries.push(...(await readKnownHostsFile(f)).entries)
  const keyType = keyTypeOf(key)
  const fingerprint = fingerprintSha256(key)
  const name = knownHostsName(host, port)
  const found = lookupHostKey(entries, host, port, key)
  const ref = (e: KnownHostEntry): { file: string; line: number; text: string } => ({
    file: e.file,
    line: e.line,
    text: e.text,
  })
  switch (found.status) {
    case 'known':
      return { how: 'known', keyType, fingerprint, entry: found.entry }
    case 'revoked':
      throw new HostKeyMismatchError(name, keyType, fingerprint, [ref(found.entry)], true)
    case 'changed':
      throw new HostKeyMismatchError(name, keyType, fingerprint, found.entries.map(ref))
    case 'unknown': {
      const policy = options.hostKeyPolicy ?? hostKeyPolicies.reject
      const decision = await policy({
        host,
        port,
        name,
        keyType,
        fingerprint,
        knownHostsFile: file,
        otherKnownTypes: found.otherTypes,
      })
      if (decision === 'accept-once') return { how: 'accepted-once', keyType, fingerprint }
      if (decision === 'accept-and-save') {
        await appendKnownHostsLine(
          file,
          formatKnownHostsLine(host, port, key, options.hashKnownHosts),
        )
        return { how: 'saved', keyType, fingerprint }
      }
      throw new HostKeyUnknownError(name, keyType, fingerprint, file)
    }
  }
}

/**
 * The host key algorithms to offer first, so that a server with several keys shows the
 * one we already know (OpenSSH does the same): derived from the key types recorded for the
 * host. Empty when nothing is recorded.
 */
export async function preferredHostKeyAlgorithms(
  host: string,
  port: number,
  options: HostKeyOptions = {},
): Promise<string[]> {
  const files = knownHostsFilesToRead(options)
  const name = knownHostsName(host, port)
  const types = new Set<string>()
  for (const f of files) {
    for (const e of (await readKnownHostsFile(f)).entries) {
      if (e.marker === undefined && entryMatches(e.hosts, name)) types.add(e.keyType)
    }
  }
  return [...types].flatMap((t) =>
    t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t],
  )
}
