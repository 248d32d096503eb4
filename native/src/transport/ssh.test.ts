/**
 * The SSH transport against an in-process ssh2 server (test/ssh-server.ts) relaying to
 * the fault server's tiny libvirt responder: host key policy, authentication, routes,
 * one session carrying several connections.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ssh2 from 'ssh2'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { connectUri, type ConnectUriOptions } from '../api/open-uri'
import { FaultServer } from '../../test/fault-server'
import { FakeSshHost } from '../../test/ssh-server'
import { hostKeyPolicies } from './host-key'
import { fingerprintSha256 } from './known-hosts'
import { SshSession } from './ssh'
import { prepareCredentials } from './ssh-auth'
import {
  HostKeyMismatchError,
  HostKeyUnknownError,
  SshAuthError,
  SshConnectError,
} from './ssh-errors'

const { utils } = ssh2

describe('SSH transport', () => {
  let dir: string
  let responder: FaultServer
  let host: FakeSshHost
  let goodKey: string
  let badKey: string
  let knownHosts: string
  const noDefaults = { agent: false, defaultKeyFiles: false } as const

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtdeck-ssh-'))
    responder = await FaultServer.start({ hostname: 'ssh-responder' })
    const good = utils.generateKeyPairSync('ed25519')
    const bad = utils.generateKeyPairSync('ed25519')
    goodKey = join(dir, 'id_good')
    badKey = join(dir, 'id_bad')
    writeFileSync(goodKey, good.private)
    writeFileSync(badKey, bad.private)
    host = await FakeSshHost.start({
      upstream: responder.path,
      socketPath: '/var/run/libvirt/libvirt-sock',
      authorizedKey: good.public,
      password: 'sesame',
    })
    knownHosts = join(dir, 'known_hosts')
    writeFileSync(knownHosts, `${host.knownHostsLine()}\n`)
  })

  afterAll(async () => {
    await host?.close()
    await responder?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const uri = (params = ''): string =>
    `qemu+ssh://root@127.0.0.1:${host.port}/system?known_hosts=${knownHosts}${params}`
  const withKey = (extra: ConnectUriOptions['ssh'] = {}): ConnectUriOptions => ({
    ssh: { ...noDefaults, privateKeyFiles: [goodKey], ...extra },
  })
  const waitForNoConnections = async (): Promise<void> => {
    await vi.waitFor(() => expect(host.connections).toBe(0), { timeout: 2000, interval: 10 })
  }

  it('connects with a key through direct-streamlocal and ends SSH when the connection closes', async () => {
    host.requests.length = 0
    const conn = await connectUri(uri(`&keyfile=${goodKey}`), { ssh: noDefaults })
    expect(conn.transport.description).toBe(
      `ssh:root@127.0.0.1:${host.port}:/var/run/libvirt/libvirt-sock`,
    )
    expect(await conn.hostname()).toBe('ssh-responder')
    expect(host.requests).toEqual(['streamlocal /var/run/libvirt/libvirt-sock'])
    await conn.close()
    await waitForNoConnections()
  })

  it('falls back to exec virt-ssh-helper when streamlocal is refused', async () => {
    host.requests.length = 0
    const conn = await connectUri(uri('&mode=direct'), withKey())
    expect(conn.transport.description).toBe(`ssh:root@127.0.0.1:${host.port}:exec`)
    expect(await conn.hostname()).toBe('ssh-responder')
    expect(host.requests[0]).toBe('streamlocal /var/run/libvirt/virtqemud-sock')
    expect(host.requests[1]).toMatch(
      /^exec sh -c .*exec virt-ssh-helper .*qemu:\/\/\/system\?mode=direct/,
    )
    await conn.close()
  })

  it('reports what the remote command said when nc is missing', async () => {
    const err = await connectUri(uri('&socket=/elsewhere'), {
      ...withKey({ via: ['netcat'] }),
      timeoutMs: 5000,
    }).catch((e: unknown) => e)
    expect((err as Error).message).toContain('exit status 127')
    expect((err as Error).message).toContain('nc: not found')
  })

  it('refuses an unknown host key by default, accepts and saves it when the policy says so', async () => {
    const fresh = join(dir, 'known_hosts.fresh')
    const freshUri = `qemu+ssh://root@127.0.0.1:${host.port}/system?known_hosts=${fresh}`
    const err = await connectUri(freshUri, withKey()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HostKeyUnknownError)
    const fp = fingerprintSha256(Buffer.from(host.hostKeyBase64, 'base64'))
    expect((err as Error).message).toContain(fp)

    const policy = vi.fn(hostKeyPolicies.acceptAndSave)
    const conn = await connectUri(freshUri, withKey({ hostKeyPolicy: policy }))
    expect(policy).toHaveBeenCalledWith(
      expect.objectContaining({ fingerprint: fp, name: `[127.0.0.1]:${host.port}` }),
    )
    await conn.close()
    expect(readFileSync(fresh, 'utf8')).toBe(`${host.knownHostsLine()}\n`)
    policy.mockClear()
    await (await connectUri(freshUri, withKey({ hostKeyPolicy: policy }))).close()
    expect(policy).not.toHaveBeenCalled()
  })

  it('never accepts a changed host key, not even with no_verify=1', async () => {
    const other = utils.generateKeyPairSync('ed25519').public.split(' ')[1]!
    const changed = join(dir, 'known_hosts.changed')
    writeFileSync(changed, `[127.0.0.1]:${host.port} ssh-ed25519 ${other}\n`)
    const err = await connectUri(
      `qemu+ssh://root@127.0.0.1:${host.port}/system?known_hosts=${changed}&no_verify=1`,
      withKey({ hostKeyPolicy: hostKeyPolicies.acceptAndSave }),
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HostKeyMismatchError)
    const e = err as HostKeyMismatchError
    expect(e.fingerprint).toBe(fingerprintSha256(Buffer.from(host.hostKeyBase64, 'base64')))
    expect(e.message).toContain(`${changed}:1`)
    expect(readFileSync(changed, 'utf8')).not.toContain(host.hostKeyBase64)
  })

  it('does not count time waiting for the host key decision against the deadline', async () => {
    const slow = join(dir, 'known_hosts.slow')
    const session = await SshSession.open({
      host: '127.0.0.1',
      port: host.port,
      user: 'root',
      ...noDefaults,
      privateKeyFiles: [goodKey],
      knownHostsFile: slow,
      timeoutMs: 300,
      hostKeyPolicy: () => new Promise((resolve) => setTimeout(() => resolve('accept-once'), 500)),
    })
    expect(session.hostKey.how).toBe('accepted-once')
    session.close()
  })

  it('names the methods tried when the key is refused', async () => {
    const err = await connectUri(uri(), {
      ssh: { ...noDefaults, privateKeyFiles: [badKey, join(dir, 'nope')] },
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SshAuthError)
    const e = err as SshAuthError
    expect(e.tried).toEqual([`publickey (${badKey})`])
    expect(e.allowed).toEqual(['publickey', 'password'])
    expect(e.notes).toEqual([`key ${join(dir, 'nope')}: no such file`])
    expect(e.message).toContain(badKey)
  })

  it('asks for a password when keys fail, and reports a wrong one', async () => {
    const asked: unknown[] = []
    const conn = await connectUri(uri(), {
      ssh: {
        ...noDefaults,
        privateKeyFiles: [badKey],
        password: (req) => {
          asked.push(req)
          return 'sesame'
        },
      },
    })
    expect(asked).toEqual([{ user: 'root', host: '127.0.0.1', port: host.port }])
    await conn.close()
    const err = await connectUri(uri(), { ssh: { ...noDefaults, password: () => 'wrong' } }).catch(
      (e: unknown) => e,
    )
    expect((err as SshAuthError).tried).toEqual(['password'])
  })

  it('carries several libvirt connections over one SSH session', async () => {
    await waitForNoConnections()
    const session = await SshSession.open({
      host: '127.0.0.1',
      port: host.port,
      user: 'root',
      ...noDefaults,
      privateKeyFiles: [goodKey],
      knownHostsFile: knownHosts,
    })
    expect(session.hostKey.how).toBe('known')
    expect(session.authMethod).toBe(`publickey (${goodKey})`)
    const [a, b] = await Promise.all([
      connectUri(uri(), { ssh: { session } }),
      connectUri(uri(), { ssh: { session } }),
    ])
    expect(session.channelCount).toBe(2)
    expect(host.connections).toBe(1)
    expect(await Promise.all([a!.hostname(), b!.hostname()])).toEqual([
      'ssh-responder',
      'ssh-responder',
    ])
    await a!.close()
    await vi.waitFor(() => expect(session.channelCount).toBe(1))
    expect(session.closed).toBe(false)
    const closed = new Promise((resolve) => session.onClose(resolve))
    session.closeWhenIdle()
    await b!.close()
    await closed
    expect(session.closed).toBe(true)
    await expect(
      connectUri(`qemu+ssh://other@127.0.0.1:${host.port}/system`, { ssh: { session } }),
    ).rejects.toThrow(/goes to root@/)
  })

  it('reports an unreachable host as SshConnectError with the cause', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const err = await connectUri(`qemu+ssh://root@127.0.0.1:${port}/system`, withKey()).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(SshConnectError)
    expect((err as SshConnectError).details.errno).toBe('ECONNREFUSED')
  })
})

describe('SSH credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-sshcred-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const encrypted = utils.generateKeyPairSync('ed25519', {
    passphrase: 'pw',
    cipher: 'aes256-ctr',
    rounds: 2,
  })
  const plain = utils.generateKeyPairSync('ed25519')
  const home = join(dir, 'home')
  const env = { home, env: {}, platform: 'linux' as const }

  it('decrypts a key with the passphrase callback, and explains a missing or wrong one', async () => {
    const file = join(dir, 'enc')
    writeFileSync(file, encrypted.private)
    const asked: string[] = []
    const ok = await prepareCredentials(
      {
        privateKeyFiles: [file],
        passphrase: (f) => {
          asked.push(f)
          return 'pw'
        },
      },
      env,
    )
    expect(asked).toEqual([file])
    expect(ok.candidates.map((c) => c.kind)).toEqual(['publickey'])
    const none = await prepareCredentials({ privateKeyFiles: [file] }, env)
    expect(none.notes).toEqual([`key ${file}: encrypted and no passphrase was given`])
    const wrong = await prepareCredentials({ privateKeyFiles: [file], passphrase: 'nope' }, env)
    expect(wrong.notes[0]).toMatch(/wrong passphrase/)
  })

  it('uses default key files and the agent when no key is given, in sshauth order', async () => {
    mkdirSync(join(home, '.ssh'), { recursive: true })
    writeFileSync(join(home, '.ssh', 'id_ed25519'), plain.private)
    const agentEnv = { ...env, env: { SSH_AUTH_SOCK: '/tmp/agent.sock' } }
    const labels = async (o: Parameters<typeof prepareCredentials>[0]): Promise<string[]> =>
      (await prepareCredentials(o, agentEnv)).candidates.map((c) =>
        c.kind === 'secret' ? c.methods.join('+') : c.label,
      )
    const defaultKey = `publickey (${join(home, '.ssh', 'id_ed25519')})`
    expect(await labels({ password: () => 'x' })).toEqual([
      'agent (/tmp/agent.sock)',
      defaultKey,
      'password+keyboard-interactive',
    ])
    expect(await labels({ order: ['keyboard', 'privkey'], password: () => 'x' })).toEqual([
      defaultKey,
      'keyboard-interactive',
    ])
    expect(
      await labels({ privateKeyFiles: [join(home, '.ssh', 'id_ed25519')], agent: false }),
    ).toEqual([defaultKey])
    const windows = await prepareCredentials({}, { home: dir, env: {}, platform: 'win32' })
    expect(windows.candidates.map((c) => c.kind === 'agent' && c.agent)).toEqual([
      '\\\\.\\pipe\\openssh-ssh-agent',
      'pageant',
    ])
  })
})
