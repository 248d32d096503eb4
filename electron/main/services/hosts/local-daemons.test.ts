import { createServer, type Server } from 'node:net'
import { spawnSync } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  discoverLocalDaemons,
  probeSocket,
  uriForSocket,
  type SocketCandidate,
} from './local-daemons'

let dir: string
const servers: Server[] = []

function listen(path: string): Promise<void> {
  const server = createServer((s) => s.end())
  servers.push(server)
  return new Promise((resolve) => server.listen(path, resolve))
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-sockets-'))
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
  await rm(dir, { recursive: true, force: true })
})

describe('local daemon discovery', () => {
  it('tells a listening socket from a stale one, a plain file and a missing path', async () => {
    await listen(join(dir, 'live'))
    // A stale socket: its process died without unlinking it, as a crashed daemon leaves it.
    const stale = join(dir, 'stale')
    const listenThenDie = `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`
    spawnSync(process.execPath, ['-e', listenThenDie])
    await writeFile(join(dir, 'file'), 'x')
    expect(await probeSocket(join(dir, 'live'))).toBe('answering')
    expect(await probeSocket(stale)).toBe('not-answering')
    expect(await probeSocket(join(dir, 'file'))).toBe('absent')
    expect(await probeSocket(join(dir, 'missing'))).toBe('absent')
  })

  it('reports permission-denied for a socket the user may not open', async () => {
    const path = join(dir, 'locked')
    await listen(path)
    await chmod(path, 0o600)
    await chmod(dir, 0o755)
    if (process.getuid?.() !== 0) {
      expect(await probeSocket(path)).toBe('permission-denied')
      return
    }
    // root opens any socket: probe as the unprivileged user nobody instead.
    const module = fileURLToPath(new URL('./local-daemons.ts', import.meta.url))
    const script = `import(${JSON.stringify(module)}).then((m) => m.probeSocket(${JSON.stringify(path)})).then(console.log)`
    const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url))
    const out = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', tsx, '-e', script],
      { encoding: 'utf8', env: { ...process.env, HOME: dir } },
    )
    expect(out.stderr).toBe('')
    expect(out.stdout.trim()).toBe('permission-denied')
  })

  it('picks one daemon per scope, preferring an answering read-write socket', async () => {
    await listen(join(dir, 'libvirt-sock'))
    await listen(join(dir, 'libvirt-sock-ro'))
    const candidates: SocketCandidate[] = [
      {
        scope: 'system',
        daemon: 'libvirtd',
        socketPath: join(dir, 'libvirt-sock'),
        readOnly: false,
      },
      {
        scope: 'system',
        daemon: 'libvirtd',
        socketPath: join(dir, 'libvirt-sock-ro'),
        readOnly: true,
      },
      { scope: 'session', daemon: 'libvirtd', socketPath: join(dir, 'nothing'), readOnly: false },
    ]
    const found = await discoverLocalDaemons((uri) => uri.includes('sock-ro'), candidates)
    expect(found).toEqual([
      expect.objectContaining({
        scope: 'system',
        readOnly: false,
        status: 'answering',
        added: false,
        uri: `qemu+unix:///system?socket=${encodeURIComponent(join(dir, 'libvirt-sock'))}`,
      }),
    ])
  })

  it('uses the plain URI for standard socket paths', () => {
    const standard: SocketCandidate = {
      scope: 'system',
      daemon: 'libvirtd',
      socketPath: '/var/run/libvirt/libvirt-sock',
      readOnly: false,
    }
    expect(uriForSocket(standard)).toBe('qemu:///system')
    const session: SocketCandidate = {
      scope: 'session',
      daemon: 'libvirtd',
      socketPath: '/run/user/1000/libvirt/libvirt-sock',
      readOnly: false,
    }
    expect(uriForSocket(session, { XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('qemu:///session')
  })
})
