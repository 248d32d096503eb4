/**
 * OpenSSH known_hosts files: parsing, looking a host key up, fingerprints, new lines.
 *
 * A line is `[marker] hostpatterns keytype base64key [comment]` where
 * - marker is optional: `@revoked` (this key must never be accepted) or `@cert-authority`
 *   (a CA for host certificates; not used by this client, skipped);
 * - hostpatterns is a comma list of names with `*` and `?` wildcards and `!` negation,
 *   `[host]:port` for ports other than 22, or one hashed name `|1|base64(salt)|base64(hmac)`
 *   where hmac = HMAC-SHA1(salt, name) (`HashKnownHosts yes`).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { appendFile, mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  /** The file it came from ('' for text parsed without one). */
  file: string
  /** 1-based line number. */
  line: number
  /** The line as written. */
  text: string
  /** `revoked`, `cert-authority`, or undefined for a plain entry. */
  marker?: 'revoked' | 'cert-authority'
  /** The host field as written (patterns, or a hashed name). */
  hosts: string
  /** Key type as written, e.g. ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256. */
  keyType: string
  /** The public key blob (SSH wire format). */
  key: Buffer
}

/** A line that could not be understood (reported, never fatal: OpenSSH skips them too). */
export interface KnownHostsProblem {
  file: string
  line: number
  reason: string
}

/** Parses the text of a known_hosts file. */
export function parseKnownHosts(
  text: string,
  file = '',
): { entries: KnownHostEntry[]; problems: KnownHostsProblem[] } {
  const entries: KnownHostEntry[] = []
  const problems: KnownHostsProblem[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) return
    const fields = trimmed.split(/\s+/)
    let marker: KnownHostEntry['marker']
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift()
      if (m === '@revoked') marker = 'revoked'
      else if (m === '@cert-authority') marker = 'cert-authority'
      else return void problems.push({ file, line, reason: `unknown marker ${m}` })
    }
    const [hosts, keyType, base64] = fields
    if (!hosts || !keyType || !base64) {
      return void problems.push({ file, line, reason: 'expected: hosts keytype key' })
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
      return void problems.push({ file, line, reason: 'the key is not valid base64' })
    }
    const key = Buffer.from(base64, 'base64')
    if (keyTypeOf(key) !== keyType) {
      return void problems.push({ file, line, reason: `the key blob is not of type ${keyType}` })
    }
    entries.push({ file, line, text: trimmed, ...(marker && { marker }), hosts, keyType, key })
  })
  return { entries, problems }
}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port = 22): string {
  const h = host.toLowerCase()
  return port === 22 ? h : `[${h}]:${port}`
}

/** Whether an entry's host field covers `name` (as given by {@link knownHostsName}). */
export function entryMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) return hashedMatches(hosts, name)
  let matched = false
  for (const pattern of hosts.split(',')) {
    if (pattern === '') continue
    const negated = pattern.startsWith('!')
    const p = negated ? pattern.slice(1) : pattern
    if (!wildcardMatch(p.toLowerCase(), name)) continue
    if (negated) return false
    matched = true
  }
  return matched
}

function hashedMatches(hosts: string, name: string): boolean {
  const [, , salt, hash] = hosts.split('|')
  if (!salt || !hash) return false
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64')
  return mac === hash
}

function wildcardMatch(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${re}$`).test(name)
}

/** What known_hosts says about a server key. */
export type HostKeyLookup =
  /** A plain entry for this host holds exactly this key. */
  | { status: 'known'; entry: KnownHostEntry }
  /** Entries for this host hold other keys of the same type (and none holds this key). */
  | { status: 'changed'; entries: KnownHostEntry[] }
  /** The key is marked @revoked (for this host or a pattern covering it). */
  | { status: 'revoked'; entry: KnownHostEntry }
  /** Nothing recorded for this host and key type; `otherTypes` are types that are known. */
  | { status: 'unknown'; otherTypes: string[] }

/**
 * Looks a server's key up, as OpenSSH does: a revoked key is refused first, then a
 * matching entry accepts it, then any entry of the same type with another key means the
 * key changed. Keys of other types recorded for the host do not count as a change.
 */
export function lookupHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  key: Buffer,
): HostKeyLookup {
  const name = knownHostsName(host, port)
  const type = keyTypeOf(key)
  const forHost = entries.filter(
    (e) => e.marker !== 'cert-authority' && entryMatches(e.hosts, name),
  )
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(key))
  if (revoked) return { status: 'revoked', entry: revoked }
  const plain = forHost.filter((e) => e.marker === undefined)
  const same = plain.find((e) => e.key.equals(key))
  if (same) return { status: 'known', entry: same }
  const changed = plain.filter((e) => e.keyType === type)
  if (changed.length > 0) return { status: 'changed', entries: changed }
  return { status: 'unknown', otherTypes: [...new Set(plain.map((e) => e.keyType))] }
}

/** The key type inside an SSH public key blob (its first string), or '' if unreadable. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return ''
  const len = blob.readUInt32BE(0)
  if (len > 64 || 4 + len > blob.length) return ''
  return blob.toString('latin1', 4, 4 + len)
}

/** OpenSSH's fingerprint of a key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/**
 * A new known_hosts line for `host`/`port` and a key blob.
 * @param hash write the host name hashed (`|1|salt|hmac`), as `HashKnownHosts yes` does
 */
export function formatKnownHostsLine(
  host: string,
  port: number,
  key: Buffer,
  hash = false,
): string {
  const name = knownHostsName(host, port)
  let field = name
  if (hash) {
    const salt = randomBytes(20)
    const mac = createHmac('sha1', salt).update(name).digest('base64')
    field = `|1|${salt.toString('base64')}|${mac}`
  }
  return `${field} ${keyTypeOf(key)} ${key.toString('base64')}`
}

/** Reads and parses a known_hosts file; a missing file is empty. */
export async function readKnownHostsFile(
  path: string,
): Promise<{ entries: KnownHostEntry[]; problems: KnownHostsProblem[] }> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problems: [] }
    throw err
  }
  return parseKnownHosts(text, path)
}

/**
 * Appends a line to a known_hosts file, creating the file (mode 0600) and its directory
 * (0700) when missing, and starting on a new line if the file does not end with one.
 */
export async function appendKnownHostsLine(path: string, line: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  let prefix = ''
  try {
    const existing = await readFile(path)
    if (existing.length > 0 && existing[existing.length - 1] !== 0x0a) prefix = '\n'
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await appendFile(path, `${prefix}${line}\n`, { mode: 0o600 })
}
