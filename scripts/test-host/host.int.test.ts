/**
 * Proves the test host that scripts/test-host/up.sh builds: both libvirt daemons answer, the
 * test-driver scale file loads through the daemon, sshd takes the test key (and a wrong host
 * key is refused), and the tiny Linux guest boots, mounts its virtiofs share and powers off on
 * ACPI shutdown.
 *
 * virsh and ssh are used here only as host checks (never in the product).
 * Reads host.json from $VIRTDECK_HOST_JSON, else from the default state dir.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const exec = promisify(execFile)

/** The parts of host.json this test reads (see scripts/test-host/README.md). */
interface HostJson {
  stateDir: string
  libvirtVersion: string
  system: { uri: string; socket: string; socketRo: string }
  session: { uri: string; socket: string; xdgRuntimeDir: string; user: string; uid: number }
  testDriver: {
    file: string
    uri: string
    domainCount: number
    runningCount: number
  }
  ssh: {
    host: string
    port: number
    user: string
    privateKeyPath: string
    publicKeyPath: string
    knownHostsPath: string
    hostKeyPath: string
  }
  guest: {
    kernel: string
    initrd: string
    readyLine: string
    shareMountedLine: string
    serialLogPath: string
    shareDir: string
  }
  domains: { vnc: string; linux: string }
  network: { name: string }
  pool: { name: string; path: string; sessionPath: string }
  volume: { name: string }
}

const hostJsonPath =
  process.env['VIRTDECK_HOST_JSON'] ??
  join(process.env['VIRTDECK_TEST_HOST_DIR'] ?? '/var/tmp/virtdeck-test-host', 'host.json')

function loadHost(): HostJson {
  if (!existsSync(hostJsonPath)) {
    throw new Error(`${hostJsonPath} not found: run  sudo scripts/test-host/up.sh`)
  }
  return JSON.parse(readFileSync(hostJsonPath, 'utf8')) as HostJson
}

const host = loadHost()

/** Runs virsh against one daemon and returns its stdout. */
async function virsh(uri: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('virsh', ['-q', '-c', uri, ...args], { timeout: 60_000 })
  return stdout
}

/** Names printed by `virsh ... --name` (one per line, padded with spaces). */
function names(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/** Runs `ssh ... true` with the test key against the test sshd, using KNOWN_HOSTS. */
function sshTrue(knownHosts: string): Promise<{ stdout: string; stderr: string }> {
  const { ssh } = host
  return exec(
    '/usr/bin/ssh',
    [
      '-F',
      'none',
      '-i',
      ssh.privateKeyPath,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-p',
      String(ssh.port),
      `${ssh.user}@${ssh.host}`,
      'true',
    ],
    { timeout: 20_000 },
  )
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls PROBE every 200 ms until it returns a value other than undefined, or fails. */
async function waitFor<T>(
  what: string,
  deadlineMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const end = Date.now() + deadlineMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`)
    await sleep(200)
  }
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : ''
}

describe('test host description', () => {
  it('names files that exist', () => {
    expect(host.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/)
    const files = [
      host.system.socket,
      host.system.socketRo,
      host.session.socket,
      host.testDriver.file,
      host.ssh.privateKeyPath,
      host.ssh.publicKeyPath,
      host.ssh.knownHostsPath,
      host.ssh.hostKeyPath,
      host.guest.kernel,
      host.guest.initrd,
      host.guest.shareDir,
      host.pool.path,
    ]
    expect(files.filter((file) => !existsSync(file))).toEqual([])
  })
})

describe('system daemon (qemu:///system)', () => {
  it('lists both test domains', { timeout: 30_000 }, async () => {
    const all = names(await virsh(host.system.uri, 'list', '--all', '--name'))
    expect(all).toContain(host.domains.vnc)
    expect(all).toContain(host.domains.linux)
  })

  it('answers read-only on its -ro socket', { timeout: 30_000 }, async () => {
    const { stdout } = await exec('virsh', ['-r', '-c', host.system.uri, 'list', '--all', '--name'])
    expect(names(stdout)).toContain(host.domains.vnc)
  })

  it('has the isolated network running and the pool with its volume', async () => {
    expect(names(await virsh(host.system.uri, 'net-list', '--name'))).toContain(host.network.name)
    expect(names(await virsh(host.system.uri, 'pool-list', '--name'))).toContain(host.pool.name)
    const vols = await virsh(host.system.uri, 'vol-list', host.pool.name)
    expect(vols).toContain(host.volume.name)
  })
})

describe('session daemon (qemu:///session as the test user)', () => {
  it('answers through its socket URI with both domains', { timeout: 30_000 }, async () => {
    const all = names(await virsh(host.session.uri, 'list', '--all', '--name'))
    expect(all).toContain(host.domains.vnc)
    expect(all).toContain(host.domains.linux)
    expect(names(await virsh(host.session.uri, 'pool-list', '--name'))).toContain(host.pool.name)
    // The session daemon's own pool (the system one lives elsewhere): this is not qemu:///system.
    const pool = await virsh(host.session.uri, 'pool-dumpxml', host.pool.name)
    expect(pool).toContain(`<path>${host.pool.sessionPath}</path>`)
  })

  it('is owned by the unprivileged test user', () => {
    expect(host.session.uid).toBeGreaterThan(0)
    expect(statSync(host.session.socket).uid).toBe(host.session.uid)
    expect(statSync(host.session.xdgRuntimeDir).mode & 0o777).toBe(0o700)
  })
})

describe('test driver through the daemon (test+unix://)', () => {
  it('lists 1,000 domains, half of them running', { timeout: 30_000 }, async () => {
    expect(host.testDriver.uri).toBe(`test+unix://${host.testDriver.file}`)
    const all = names(await virsh(host.testDriver.uri, 'list', '--all', '--name'))
    expect(all).toHaveLength(1000)
    expect(all).toHaveLength(host.testDriver.domainCount)
    expect(all).toContain('scale-0001')
    expect(all).toContain('scale-1000')
    const running = names(await virsh(host.testDriver.uri, 'list', '--name'))
    expect(running).toHaveLength(host.testDriver.runningCount)
    expect(running.length).toBeGreaterThan(0)
    expect(running.length).toBeLessThan(all.length)
  })
})

describe('sshd on the loopback', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'virtdeck-known-hosts-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('accepts the test key with the known_hosts from host.json', { timeout: 30_000 }, async () => {
    await expect(sshTrue(host.ssh.knownHostsPath)).resolves.toBeDefined()
  })

  it('refuses a wrong host key in known_hosts', { timeout: 30_000 }, async () => {
    // Claim the server's key is the client's public key: same type, different key.
    const [type, blob] = readFileSync(host.ssh.publicKeyPath, 'utf8').trim().split(' ')
    const wrong = join(scratch, 'known_hosts')
    writeFileSync(wrong, `[${host.ssh.host}]:${host.ssh.port} ${type} ${blob}\n`)
    await expect(sshTrue(wrong)).rejects.toThrow(/Host key verification failed/)
  })
})

describe('tiny Linux guest on the system daemon', () => {
  const { uri } = host.system
  const name = host.domains.linux
  const log = host.guest.serialLogPath

  const state = async (): Promise<string> => (await virsh(uri, 'domstate', name)).trim()

  afterAll(async () => {
    if ((await state()) !== 'shut off') await virsh(uri, 'destroy', name)
  }, 30_000)

  it('boots to the ready line with the virtiofs share mounted', { timeout: 120_000 }, async () => {
    if ((await state()) !== 'shut off') await virsh(uri, 'destroy', name)
    rmSync(log, { force: true }) // virtlogd recreates it; no stale ready line can match
    await virsh(uri, 'start', name)
    const text = await waitFor('the guest ready line', 90_000, () => {
      const content = readIfExists(log)
      return content.includes(host.guest.readyLine) ? content : undefined
    })
    expect(text).toContain(host.guest.shareMountedLine)
    expect(text).not.toContain('VIRTDECK-INSMOD-FAILED')
    expect(await state()).toBe('running')
  })

  it('powers off on an ACPI shutdown request', { timeout: 60_000 }, async () => {
    expect(await state()).toBe('running')
    await virsh(uri, 'shutdown', name)
    await waitFor('the guest to power off', 45_000, async () =>
      (await state()) === 'shut off' ? true : undefined,
    )
  })
})
