/**
 * Host key and password prompts against the test host's real sshd: an unknown key is put
 * to the user and saved in the app's own known_hosts only; a changed key is refused; a
 * password (asked only once keys fail) is asked again after a refusal; cancelling, a
 * timeout or the last window closing leave the host failed; other hosts keep connecting.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fingerprintSha256 } from '@native'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HostConnection, HostPrompt, PromptAnswer } from '@common/contract/hosts'
import { ConnectionManager } from './connection-manager'
import { createLibvirtConnector } from './connector'
import { HostRegistry } from './host-registry'
import { createHostsService } from './hosts-service'
import { PromptBroker } from './prompt-broker'
import type { SessionSecrets } from './session-secrets'

interface SshHost {
  host: string
  port: number
  privateKeyPath: string
  knownHostsPath: string
  hostPublicKeyPath: string
  passwordUser: { user: string; passwordFile: string; uri: string }
}
const HOST_JSON = process.env.VIRTDECK_HOST_JSON ?? '/var/tmp/virtdeck-test-host/host.json'
const ssh = (JSON.parse(readFileSync(HOST_JSON, 'utf8')) as { ssh: SshHost }).ssh
const password = readFileSync(ssh.passwordUser.passwordFile, 'utf8').trim()
const hostKeyBlob = readFileSync(ssh.hostPublicKeyPath, 'utf8').split(' ')[1]!
const fingerprint = fingerprintSha256(Buffer.from(hostKeyBlob, 'base64'))
const NAME = `[${ssh.host}]:${ssh.port}`
const pwTarget = `${ssh.passwordUser.user}@${ssh.host}:${ssh.port}`

let dir: string
let appKnownHosts: string
let userKnownHosts: string
let manager: ConnectionManager
let seen: HostConnection[]

function start(options: { timeoutMs?: number; secrets?: SessionSecrets } = {}) {
  const connector = createLibvirtConnector({
    appKnownHostsFile: appKnownHosts,
    userKnownHostsFiles: [userKnownHosts],
    ...(options.secrets && { secrets: options.secrets }),
  })
  manager = new ConnectionManager(connector, new PromptBroker(options.timeoutMs))
  seen = []
  manager.onChanged((s) => seen.push(s))
}

/** Resolves with the first state of `id` (from now on, or already seen) that matches. */
function until(id: string, match: (s: HostConnection) => boolean, ms = 30_000) {
  const found = seen.find((s) => s.id === id && match(s))
  if (found) return Promise.resolve(found)
  return new Promise<HostConnection>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no such state; saw ${JSON.stringify(seen)}`)),
      ms,
    )
    const sub = manager.onChanged((s) => {
      if (s.id === id && match(s)) {
        clearTimeout(timer)
        sub.dispose()
        resolve(s)
      }
    })
  })
}

/** Waits for a prompt of `id` that matches, answers it, and returns it. */
async function answer(
  id: string,
  match: (p: HostPrompt) => boolean,
  reply: PromptAnswer,
): Promise<HostPrompt> {
  const state = await until(id, (s) => s.prompt !== undefined && match(s.prompt))
  seen = []
  manager.answerPrompt(state.prompt!.id, reply)
  return state.prompt!
}

const isHostKey = (p: HostPrompt) => p.kind === 'host-key'
const isPassword = (p: HostPrompt) => p.kind === 'secret' && p.purpose === 'ssh-password'
const secret = (s: string, remember = false): PromptAnswer => ({
  kind: 'secret',
  secret: s,
  remember,
})

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'virtdeck-ssh-prompts-'))
  appKnownHosts = join(dir, 'app', 'known_hosts')
  userKnownHosts = join(dir, 'user_known_hosts')
  writeFileSync(userKnownHosts, '# the user file: read, never written\n')
})
afterEach(() => {
  manager.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('SSH prompts against the real sshd', () => {
  it('asks to trust a new host key and saves it in the app file only, then asks for the password again after a refusal', async () => {
    start()
    manager.add('pw', ssh.passwordUser.uri)
    const hostKey = await answer('pw', isHostKey, { kind: 'trust' })
    expect(hostKey).toMatchObject({
      kind: 'host-key',
      host: NAME,
      keyType: 'ssh-ed25519',
      fingerprint,
      saveTo: appKnownHosts,
      otherKnownTypes: [],
    })
    const first = await answer('pw', isPassword, secret('wrong-password'))
    expect(first).toMatchObject({ target: pwTarget })
    expect(first).not.toHaveProperty('refused')
    const second = await answer('pw', isPassword, secret(password))
    expect(second.kind === 'secret' && second.refused).toMatch(
      /authentication to .* failed: tried password; the server accepts: .*password/,
    )
    const connected = await until('pw', (s) => s.status === 'connected')
    expect(connected.prompt).toBeUndefined()
    const names = (await manager.connection('pw')!.listAllDomains()).map((d) => d.name)
    expect(names).toContain('virtdeck-vnc')
    expect(readFileSync(appKnownHosts, 'utf8')).toBe(`${NAME} ssh-ed25519 ${hostKeyBlob}\n`)
    expect(readFileSync(userKnownHosts, 'utf8')).toBe('# the user file: read, never written\n')

    // Not remembered: connecting again asks for the password (the key is known now).
    await manager.disconnect('pw')
    seen = []
    manager.connect('pw')
    await answer('pw', isPassword, secret(password, true))
    await until('pw', (s) => s.status === 'connected')
    // Remembered for the session: no question at all the next time.
    await manager.disconnect('pw')
    seen = []
    manager.connect('pw')
    await until('pw', (s) => s.status === 'connected')
    expect(seen.some((s) => s.prompt)).toBe(false)
  })

  it('refuses a changed host key without asking, naming the recorded line and both fingerprints', async () => {
    const otherKey = readFileSync(`${ssh.privateKeyPath}.pub`, 'utf8').split(' ')[1]!
    const file = appKnownHosts
    execFileSync('mkdir', ['-p', join(dir, 'app')])
    writeFileSync(file, `# written by a test\n${NAME} ssh-ed25519 ${otherKey}\n`)
    start()
    manager.add('changed', ssh.passwordUser.uri)
    const failed = await until('changed', (s) => s.status === 'failed')
    expect(seen.some((s) => s.prompt)).toBe(false)
    expect(failed.problem).toMatchObject({
      kind: 'host-key-changed',
      hostKey: {
        host: NAME,
        keyType: 'ssh-ed25519',
        fingerprint,
        revoked: false,
        known: [
          {
            file,
            line: 2,
            keyType: 'ssh-ed25519',
            fingerprint: fingerprintSha256(Buffer.from(otherKey, 'base64')),
          },
        ],
      },
    })
    expect(failed.problem?.message).toMatch(/has CHANGED/)
  })

  it('leaves the host failed when the user does not trust the key or cancels the password', async () => {
    start()
    manager.add('no', ssh.passwordUser.uri)
    await answer('no', isHostKey, { kind: 'cancel' })
    const distrusted = await until('no', (s) => s.status === 'failed')
    expect(distrusted.problem).toMatchObject({
      kind: 'host-key-unknown',
      unanswered: 'cancelled',
      hostKey: { host: NAME, fingerprint },
    })
    await manager.remove('no')

    manager.add('cancel', ssh.passwordUser.uri)
    await answer('cancel', isHostKey, { kind: 'trust' })
    await answer('cancel', isPassword, { kind: 'cancel' })
    const cancelled = await until('cancel', (s) => s.status === 'failed')
    expect(cancelled.problem).toEqual({
      kind: 'unanswered',
      unanswered: 'cancelled',
      message: `You cancelled the password prompt for ${pwTarget}.`,
    })
    expect(cancelled.prompt).toBeUndefined()
  })

  it('times out a question nobody answers, and ends one when the last window closes', async () => {
    start({ timeoutMs: 300 })
    manager.add('slow', ssh.passwordUser.uri)
    const timedOut = await until('slow', (s) => s.status === 'failed')
    expect(timedOut.problem).toMatchObject({ kind: 'host-key-unknown', unanswered: 'timeout' })
    await manager.remove('slow')

    const registry = await HostRegistry.open(join(dir, 'hosts.json'))
    const service = createHostsService(registry, manager)
    const window = service.onConnectionChanged(() => {})
    manager.add('window', ssh.passwordUser.uri)
    await until('window', (s) => s.prompt?.kind === 'host-key')
    window.dispose()
    const closed = await until('window', (s) => s.status === 'failed')
    expect(closed.problem).toMatchObject({ kind: 'host-key-unknown', unanswered: 'closed' })
    registry.dispose()
  })

  it('keeps connecting other hosts while one waits on the user', async () => {
    start()
    manager.add('waiting', ssh.passwordUser.uri)
    await until('waiting', (s) => s.prompt !== undefined)
    manager.add('local', 'qemu:///system')
    await until('local', (s) => s.status === 'connected')
    expect(manager.states().find((s) => s.id === 'waiting')?.prompt?.kind).toBe('host-key')
  })

  it('asks for the passphrase of an encrypted key file, again after a wrong one', async () => {
    const key = join(dir, 'id_encrypted')
    copyFileSync(ssh.privateKeyPath, key)
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'open sesame', '-f', key])
    start()
    const uri = `qemu+ssh://root@${ssh.host}:${ssh.port}/system?keyfile=${key}&known_hosts=${ssh.knownHostsPath}`
    manager.add('enc', uri)
    const isPassphrase = (p: HostPrompt) => p.kind === 'secret' && p.purpose === 'ssh-passphrase'
    const first = await answer('enc', isPassphrase, secret('not it'))
    expect(first).toMatchObject({ target: key })
    const again = await answer('enc', isPassphrase, secret('open sesame'))
    expect(again.kind === 'secret' && again.refused).toMatch(/wrong passphrase/)
    await until('enc', (s) => s.status === 'connected')
  })
})
