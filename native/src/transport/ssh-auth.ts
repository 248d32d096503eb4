/**
 * SSH user authentication: which credentials to offer, in which order, and a record of
 * what was tried (for {@link SshAuthError}).
 *
 * Default order: the private keys given (keyfile=), the agent ($SSH_AUTH_SOCK; on Windows
 * also Pageant and the OpenSSH agent pipe), the default key files (~/.ssh/id_ed25519,
 * id_ecdsa, id_rsa) when no key was given, then a password through the caller's callback
 * (as `password` or `keyboard-interactive`, whichever the server accepts). libvirt's
 * `sshauth=` names (agent, privkey, password, keyboard) reorder or restrict that.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import ssh2, { type AnyAuthMethod, type AuthHandlerMiddleware, type ParsedKey } from 'ssh2'

/** What {@link SshCredentials.password} is asked. */
export interface PasswordRequest {
  user: string
  host: string
  port: number
  /** The server's prompt for keyboard-interactive (e.g. "Password: "), if any. */
  prompt?: string
}

/** libvirt's `sshauth=` method names. */
export type SshAuthName = 'agent' | 'privkey' | 'password' | 'keyboard'

/** How to authenticate to the SSH server. */
export interface SshCredentials {
  /** Private key files, tried first in this order (the URI's keyfile= comes here). */
  privateKeyFiles?: readonly string[]
  /** Private key text (OpenSSH or PEM), tried before the files. */
  privateKey?: string | Buffer
  /** Passphrase for encrypted keys, or a function asked once per encrypted key. */
  passphrase?: string | ((keyFile: string) => Promise<string | undefined> | string | undefined)
  /**
   * ssh-agent socket (or `pageant`, or a Windows pipe). Default: $SSH_AUTH_SOCK; on Windows
   * without it, the OpenSSH agent pipe and Pageant. `false` disables the agent.
   */
  agent?: string | false
  /** Try ~/.ssh/id_ed25519, id_ecdsa and id_rsa when no key is given. Default true. */
  defaultKeyFiles?: boolean
  /** Asked for a password when the server accepts one; undefined gives up on passwords. */
  password?: (request: PasswordRequest) => Promise<string | undefined> | string | undefined
  /** Which methods, in which order (libvirt's `sshauth=`). Default: privkey, agent, password, keyboard. */
  order?: readonly SshAuthName[]
}

/** The environment credential defaults come from (tests replace it). */
export interface AuthEnvironment {
  home: string
  env: Readonly<Record<string, string | undefined>>
  platform: NodeJS.Platform
}

/** What was tried and why some things were not (filled while authenticating). */
export interface AuthRecord {
  /** Methods offered, in order, e.g. `publickey (/root/.ssh/id_ed25519)`, `agent (...)`. */
  tried: string[]
  /** Methods the server said it accepts (from its last failure message). */
  allowed: string[]
  /** Keys skipped and agents that failed, with why. */
  notes: string[]
}

/** One thing to offer the server: a loaded key, an agent, or a password (asked lazily). */
export type AuthCandidate =
  | { kind: 'publickey'; label: string; key: ParsedKey }
  | { kind: 'agent'; label: string; agent: string }
  | { kind: 'secret'; methods: ('password' | 'keyboard-interactive')[] }

const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa']
const DEFAULT_ORDER: readonly SshAuthName[] = ['privkey', 'agent', 'password', 'keyboard']

// ssh2 is CommonJS: Node's ESM loader cannot see its named exports, so take the default.
const { utils } = ssh2

/** Expands a leading `~/` (keyfile=~/.ssh/id as people write it). */
export function expandHome(path: string, home = homedir()): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path
}

/**
 * Loads keys and lists the candidates to offer, in order.
 * @returns the candidates and notes about keys that cannot be used
 */
export async function prepareCredentials(
  creds: SshCredentials,
  environment: AuthEnvironment = {
    home: homedir(),
    env: process.env,
    platform: process.platform,
  },
): Promise<{ candidates: AuthCandidate[]; notes: string[] }> {
  const notes: string[] = []
  const order = creds.order ?? DEFAULT_ORDER
  const explicit: AuthCandidate[] = []
  const defaults: AuthCandidate[] = []
  if (order.includes('privkey')) {
    if (creds.privateKey !== undefined) {
      const key = await parseWithPassphrase(creds.privateKey, 'the given private key', creds, notes)
      if (key) explicit.push({ kind: 'publickey', label: 'publickey (the given key)', key })
    }
    for (const f of creds.privateKeyFiles ?? []) {
      const file = expandHome(f, environment.home)
      const key = await loadKeyFile(file, creds, notes)
      if (key) explicit.push({ kind: 'publickey', label: `publickey (${file})`, key })
    }
    const useDefaults =
      creds.defaultKeyFiles ?? (creds.privateKey === undefined && !creds.privateKeyFiles?.length)
    if (useDefaults) {
      for (const name of DEFAULT_KEY_FILES) {
        const file = join(environment.home, '.ssh', name)
        if (!existsSync(file)) continue
        const key = await loadKeyFile(file, creds, notes)
        if (key) defaults.push({ kind: 'publickey', label: `publickey (${file})`, key })
      }
    }
  }
  const agents: AuthCandidate[] = agentSockets(creds.agent, environment).map((agent) => ({
    kind: 'agent',
    label: `agent (${agent})`,
    agent,
  }))
  const candidates: AuthCandidate[] = []
  for (const name of order) {
    if (name === 'privkey') candidates.push(...explicit)
    if (name === 'agent') candidates.push(...agents)
  }
  candidates.push(...defaults)
  if (creds.password) {
    const methods = order.flatMap((n) =>
      n === 'password'
        ? ['password' as const]
        : n === 'keyboard'
          ? ['keyboard-interactive' as const]
          : [],
    )
    if (methods.length > 0) candidates.push({ kind: 'secret', methods })
  }
  return { candidates, notes }
}

function agentSockets(agent: string | false | undefined, environment: AuthEnvironment): string[] {
  if (agent === false) return []
  if (agent !== undefined) return [agent]
  const sock = environment.env.SSH_AUTH_SOCK
  if (sock) return [sock]
  if (environment.platform === 'win32') return ['\\\\.\\pipe\\openssh-ssh-agent', 'pageant']
  return []
}

async function loadKeyFile(
  file: string,
  creds: SshCredentials,
  notes: string[],
): Promise<ParsedKey | undefined> {
  let data: Buffer
  try {
    data = await readFile(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    notes.push(`key ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`)
    return undefined
  }
  return parseWithPassphrase(data, `key ${file}`, creds, notes, file)
}

async function parseWithPassphrase(
  data: string | Buffer,
  what: string,
  creds: SshCredentials,
  notes: string[],
  file = 'the given private key',
): Promise<ParsedKey | undefined> {
  let parsed = utils.parseKey(data)
  if (parsed instanceof Error && /passphrase|encrypted/i.test(parsed.message)) {
    const passphrase =
      typeof creds.passphrase === 'function' ? await creds.passphrase(file) : creds.passphrase
    if (passphrase === undefined) {
      notes.push(`${what}: encrypted and no passphrase was given`)
      return undefined
    }
    parsed = utils.parseKey(data, passphrase)
    if (parsed instanceof Error) {
      notes.push(`${what}: wrong passphrase (${parsed.message})`)
      return undefined
    }
  }
  if (parsed instanceof Error) {
    notes.push(`${what}: not a usable private key (${parsed.message})`)
    return undefined
  }
  if (!parsed.isPrivateKey()) {
    notes.push(`${what}: this is a public key, not a private key`)
    return undefined
  }
  return parsed
}

/**
 * ssh2's authHandler: offers `none` first (which tells us what the server accepts), then
 * each candidate the server's list allows, recording what was offered.
 */
export function createAuthHandler(
  candidates: readonly AuthCandidate[],
  target: { user: string; host: string; port: number },
  creds: Pick<SshCredentials, 'password'>,
  record: AuthRecord,
): AuthHandlerMiddleware {
  const queue = [...candidates]
  let started = false
  let password: Promise<string | undefined> | undefined
  const askPassword = (prompt?: string): Promise<string | undefined> => {
    if (!prompt && password) return password
    const p = Promise.resolve(
      creds.password?.({ ...target, ...(prompt !== undefined && { prompt }) }),
    ).catch(() => undefined)
    if (!prompt) password = p
    return p
  }
  return (authsLeft, _partial, next) => {
    const allowed: readonly string[] = authsLeft ?? []
    if (authsLeft) record.allowed = [...authsLeft]
    if (!started) {
      started = true
      next({ type: 'none', username: target.user })
      return
    }
    const permits = (m: string): boolean => authsLeft == null || allowed.includes(m)
    for (;;) {
      const c = queue.shift()
      if (!c) {
        next(false as unknown as AnyAuthMethod)
        return
      }
      if ((c.kind === 'publickey' || c.kind === 'agent') && !permits('publickey')) continue
      if (c.kind === 'publickey') {
        record.tried.push(c.label)
        next({ type: 'publickey', username: target.user, key: c.key })
        return
      }
      if (c.kind === 'agent') {
        record.tried.push(c.label)
        next({ type: 'agent', username: target.user, agent: c.agent })
        return
      }
      const method = c.methods.find((m) => permits(m))
      if (!method) continue
      record.tried.push(method)
      if (method === 'password') {
        void askPassword().then((pw) => {
          if (pw === undefined) {
            record.notes.push('no password was given')
            next(false as unknown as AnyAuthMethod)
          } else {
            next({ type: 'password', username: target.user, password: pw })
          }
        })
        return
      }
      next({
        type: 'keyboard-interactive',
        username: target.user,
        prompt: (_name, _instructions, _lang, prompts, finish) => {
          void Promise.all(
            prompts.map((p) => (p.echo ? Promise.resolve('') : askPassword(p.prompt))),
          ).then((answers) => finish(answers.map((a) => a ?? '')))
        },
      })
      return
    }
  }
}
