/**
 * Transports and connectUri against the real test host: qemu+ssh through its sshd (with
 * the test key and known_hosts), the session daemon, the read-only socket, the test driver
 * through libvirtd, and TLS against a throwaway unprivileged libvirtd started here (its own
 * directories and port; the test host's daemons are not touched).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createConnection, createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ssh2 from 'ssh2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Connection } from '../../src/api/connection'
import { connectUri } from '../../src/api/open-uri'
import { ErrorNumber } from '../../src/protocol/generated/flags.gen'
import { TransportError, VirtError } from '../../src/rpc/errors'
import { SshSession } from '../../src/transport/ssh'
import { HostKeyMismatchError, SshAuthError } from '../../src/transport/ssh-errors'
import { makeTestPki } from '../pki'
import { HOST_JSON } from './test-host'

interface HostJson {
  system?: { socket?: string; socketRo?: string }
  session?: { uri?: string; socket?: string; user?: string; uid?: number; gid?: number }
  testDriver?: { uri?: string; domainCount?: number }
  ssh?: { host: string; port: number; user: string; privateKeyPath: string; knownHostsPath: string }
  domains?: Record<string, string>
}
const hostJson: HostJson = existsSync(HOST_JSON)
  ? (JSON.parse(readFileSync(HOST_JSON, 'utf8')) as HostJson)
  : {}
const systemSocket = hostJson.system?.socket ?? '/var/run/libvirt/libvirt-sock'
const ssh = hostJson.ssh
const sshUri = ssh
  ? `qemu+ssh://${ssh.user}@${ssh.host}:${ssh.port}/system?keyfile=${ssh.privateKeyPath}&known_hosts=${ssh.knownHostsPath}`
  : ''
const noDefaults = { agent: false, defaultKeyFiles: false } as const
const WRITE_XML = '<domain type="qemu"/>'

const names = async (conn: Connection): Promise<string[]> =>
  (await conn.listAllDomains()).map((d) => d.name).sort()

async function expectReadOnlyRefusal(conn: Connection): Promise<void> {
  const err = await conn.remote
    .domainDefineXmlFlags({ xml: WRITE_XML, flags: 0 })
    .catch((e: unknown) => e)
  expect(err).toBeInstanceOf(VirtError)
  expect((err as VirtError).code).toBe(ErrorNumber.OPERATION_DENIED)
}

describe('qemu+ssh through the test host sshd', () => {
  let expected: string[]

  beforeAll(async () => {
    const local = await connect({ socketPath: systemSocket, name: 'qemu:///system' })
    expected = await names(local)
    await local.close()
  })

  it('lists the same domains as the unix socket, via direct-streamlocal', async () => {
    const started = performance.now()
    const conn = await connectUri(sshUri, { ssh: noDefaults })
    const openMs = performance.now() - started
    try {
      expect(conn.transport.description).toMatch(/:\/var\/run\/libvirt\/libvirt-sock$/)
      expect(await names(conn)).toEqual(expected)
      expect((await conn.remote.connectGetUri()).uri).toBe('qemu:///system')
    } finally {
      await conn.close()
    }
    console.log(
      `qemu+ssh open (handshake, auth, streamlocal, libvirt open): ${openMs.toFixed(0)} ms`,
    )
  })

  it('carries a virt-ssh-helper connection and a read-only one on the same SSH session', async () => {
    const session = await SshSession.open({
      host: ssh!.host,
      port: ssh!.port,
      user: ssh!.user,
      ...noDefaults,
      privateKeyFiles: [ssh!.privateKeyPath],
      knownHostsFile: ssh!.knownHostsPath,
    })
    try {
      expect(session.hostKey.how).toBe('known')
      const helper = await connectUri(sshUri, { ssh: { session, via: ['virt-ssh-helper'] } })
      const ro = await connectUri(sshUri, { ssh: { session }, readOnly: true })
      expect(session.channelCount).toBe(2)
      expect(helper.transport.description).toMatch(/:exec$/)
      expect(ro.transport.description).toMatch(/libvirt-sock-ro$/)
      expect(await names(helper)).toEqual(expected)
      expect(await names(ro)).toEqual(expected)
      await expectReadOnlyRefusal(ro)
      await Promise.all([helper.close(), ro.close()])
    } finally {
      session.close()
    }
  })

  it('refuses a host key that does not match known_hosts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtdeck-kh-'))
    try {
      const other = ssh2.utils.generateKeyPairSync('ed25519').public.split(' ')[1]
      const wrong = join(dir, 'known_hosts')
      writeFileSync(wrong, `[${ssh!.host}]:${ssh!.port} ssh-ed25519 ${other}\n`)
      const err = await connectUri(
        `qemu+ssh://${ssh!.user}@${ssh!.host}:${ssh!.port}/system?keyfile=${ssh!.privateKeyPath}&known_hosts=${wrong}`,
        { ssh: noDefaults },
      ).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(HostKeyMismatchError)
      expect((err as Error).message).toMatch(/SHA256:[A-Za-z0-9+/]{43}/)
      expect((err as Error).message).toContain(`${wrong}:1`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a key the server does not know with SshAuthError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtdeck-key-'))
    try {
      const key = join(dir, 'id_ed25519')
      writeFileSync(key, ssh2.utils.generateKeyPairSync('ed25519').private, { mode: 0o600 })
      const err = await connectUri(
        `qemu+ssh://${ssh!.user}@${ssh!.host}:${ssh!.port}/system?keyfile=${key}&known_hosts=${ssh!.knownHostsPath}`,
        { ssh: noDefaults },
      ).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SshAuthError)
      expect((err as SshAuthError).tried).toEqual([`publickey (${key})`])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('session daemon through connectUri', () => {
  it('answers on the session URI and lists its domains', async () => {
    const conn = await connectUri(hostJson.session!.uri!)
    try {
      expect((await conn.remote.connectGetUri()).uri).toBe('qemu:///session')
      const list = await names(conn)
      for (const d of Object.values(hostJson.domains ?? {})) expect(list).toContain(d)
    } finally {
      await conn.close()
    }
  })
})

describe('local URIs through connectUri', () => {
  it('qemu:///system read-only takes the -ro socket and refuses a write', async () => {
    const conn = await connectUri('qemu:///system', { readOnly: true })
    try {
      expect(conn.transport.description).toBe('unix:/var/run/libvirt/libvirt-sock-ro')
      await expectReadOnlyRefusal(conn)
    } finally {
      await conn.close()
    }
  })

  it('test+unix:///PATH opens the test driver through libvirtd', async () => {
    const conn = await connectUri(hostJson.testDriver!.uri!)
    try {
      expect(conn.transport.description).toBe('unix:/var/run/libvirt/libvirt-sock')
      expect((await conn.remote.connectGetUri()).uri).toBe(
        hostJson.testDriver!.uri!.replace('test+unix:', 'test:'),
      )
      expect((await conn.remote.connectNumOfDomains()).num).toBeGreaterThan(0)
    } finally {
      await conn.close()
    }
  })
})

const tester = hostJson.session

describe('TLS against a throwaway unprivileged libvirtd', () => {
  let dir: string
  let daemon: ChildProcess
  let port: number

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtdeck-tlsd-'))
    const pki = join(dir, 'pki')
    makeTestPki(pki)
    const run = join(dir, 'run')
    for (const d of ['xdg', 'home', 'config', 'cache'])
      mkdirSync(join(run, d), { recursive: true, mode: 0o700 })
    port = await freePort()
    const conf = join(run, 'libvirtd.conf')
    writeFileSync(
      conf,
      [
        'listen_tls = 1',
        'listen_tcp = 0',
        `tls_port = "${port}"`,
        'listen_addr = "127.0.0.1"',
        `key_file = "${pki}/serverkey.pem"`,
        `cert_file = "${pki}/servercert.pem"`,
        `ca_file = "${pki}/cacert.pem"`,
        'auth_tls = "none"',
      ].join('\n'),
    )
    for (const p of [
      dir,
      pki,
      run,
      ...['xdg', 'home', 'config', 'cache'].map((d) => join(run, d)),
      conf,
    ]) {
      chownSync(p, tester!.uid!, tester!.gid!)
    }
    chmodSync(join(pki, 'serverkey.pem'), 0o644)
    daemon = spawn('/usr/sbin/libvirtd', ['--listen', '-f', conf, '--timeout', '120'], {
      uid: tester!.uid!,
      gid: tester!.gid!,
      stdio: 'ignore',
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: join(run, 'home'),
        XDG_RUNTIME_DIR: join(run, 'xdg'),
        XDG_CONFIG_HOME: join(run, 'config'),
        XDG_CACHE_HOME: join(run, 'cache'),
      },
    })
    await waitForPort(port, 10_000)
  })

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      const exited = new Promise((resolve) => daemon.once('exit', resolve))
      daemon.kill('SIGTERM')
      await exited
    }
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('opens the test driver over TLS and pipelines 1,000 calls', async () => {
    const conn = await connectUri(`test+tls://127.0.0.1:${port}/default?pkipath=${dir}/pki`)
    try {
      expect(conn.transport.description).toBe(`tls:127.0.0.1:${port}`)
      expect((await conn.remote.connectGetUri()).uri).toBe('test:///default')
      expect(await names(conn)).toEqual(['test'])
      const started = performance.now()
      const results = await Promise.all(
        Array.from({ length: 1000 }, () => conn.remote.connectGetLibVersion()),
      )
      expect(results).toHaveLength(1000)
      console.log(`TLS: 1,000 pipelined calls in ${(performance.now() - started).toFixed(0)} ms`)
    } finally {
      await conn.close()
    }
  })

  it('is refused without a client certificate, naming the missing files', async () => {
    const caOnly = join(dir, 'ca-only')
    mkdirSync(caOnly)
    writeFileSync(join(caOnly, 'cacert.pem'), readFileSync(join(dir, 'pki', 'cacert.pem')))
    const err = await connectUri(`test+tls://localhost:${port}/default?pkipath=${caOnly}`).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(TransportError)
    expect((err as Error).message).toContain(join(caOnly, 'clientcert.pem'))
  })
})

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port })
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > deadline)
      throw new Error(`libvirtd did not listen on ${port} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
