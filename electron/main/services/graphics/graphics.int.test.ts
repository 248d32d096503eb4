/**
 * The graphics service against the test host's system daemon: the diskless VM's VNC server
 * through a real byte channel (web server + ws client), a scratch VM with a password on a
 * unix socket, a SPICE-only scratch VM, screenshots, and 50 open/close cycles that must
 * leave no socket, ticket or bridge behind.
 */
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { ServiceImpl } from '@common/contract/define'
import type { graphics } from '@common/contract/graphics'
import { ServiceRegistry } from '@common/ipc/channel-server'
import { ChannelBroker } from '../channels'
import { ConnectionManager } from '../hosts/connection-manager'
import { createLibvirtConnector } from '../hosts/connector'
import { startWebServer, type WebServer } from '../../web/server'
import { localEndpointOpener } from './endpoint-opener'
import { createGraphicsService } from './graphics-service'
import { VncChannels } from './vnc-channels'

const VNC_VM = 'virtdeck-vnc'
const TAG = `vdk-gfx-${process.pid}`
const PASSWORD_VM = `${TAG}-pw`
const SPICE_VM = `${TAG}-spice`
const STOPPED_VM = `${TAG}-off`
const SOCKET = `/var/tmp/${TAG}-vnc.sock`
const VNC_PASSWORD = 'pw-7q3z'

const virsh = (...args: string[]) =>
  execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  })
const quietly = (fn: () => unknown) => {
  try {
    fn()
  } catch {
    // already in that state
  }
}
const uuidOf = (name: string) => virsh('domuuid', name).trim()

/** A diskless transient (or, with define, persistent) VM with the given display. */
function scratch(name: string, graphicsXml: string, how: 'create' | 'define') {
  const dir = mkdtempSync(join(tmpdir(), `${TAG}-`))
  const file = join(dir, 'dom.xml')
  writeFileSync(
    file,
    `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory>
      <os><type arch='x86_64'>hvm</type></os><devices>${graphicsXml}</devices></domain>`,
  )
  try {
    virsh(how, file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

let dir: string
let server: WebServer
let manager: ConnectionManager
const broker = new ChannelBroker()
const vncChannels = new VncChannels(broker)
let service: ServiceImpl<typeof graphics.spec>
let remoteService: ServiceImpl<typeof graphics.spec>
let vncWasRunning = false
let vncUuid: string
const signal = () => AbortSignal.timeout(20_000)

/** Opens a channel ticket over a real WebSocket and collects what arrives. */
async function openChannel(ticket: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/channel/${ticket}`, {
    headers: { origin: `http://127.0.0.1:${server.port}` },
  })
  const received: Buffer[] = []
  ws.on('message', (data: Buffer) => received.push(data))
  const closed = new Promise<[number, string]>((resolve) =>
    ws.once('close', (code, reason) => resolve([code, reason.toString()])),
  )
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const bytes = () => Buffer.concat(received)
  const waitFor = async (n: number) => {
    for (let i = 0; i < 500 && bytes().length < n; i++) await new Promise((r) => setTimeout(r, 10))
    return bytes()
  }
  return { ws, bytes, waitFor, closed }
}

/** The number of established TCP connections to a local port (as ss sees them). */
const establishedTo = (port: number) =>
  execFileSync('ss', ['-Htn', 'state', 'established', `( dport = :${port} )`], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((l) => l.trim() !== '').length

/** Sockets this process holds open: other descriptors (pipes, timers) come and go with the runner. */
const openSockets = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:')
    } catch {
      return false // closed while we looked
    }
  }).length

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), `${TAG}-web-`))
  server = await startWebServer({
    registry: new ServiceRegistry(),
    rendererDir: dir,
    channels: broker,
  })
  vncWasRunning = virsh('domstate', VNC_VM).trim() === 'running'
  if (!vncWasRunning) virsh('start', VNC_VM)
  vncUuid = uuidOf(VNC_VM)
  scratch(
    PASSWORD_VM,
    `<graphics type='vnc' passwd='${VNC_PASSWORD}'><listen type='socket' socket='${SOCKET}'/></graphics>`,
    'create',
  )
  scratch(SPICE_VM, `<graphics type='spice' autoport='yes' listen='127.0.0.1'/>`, 'create')
  scratch(
    STOPPED_VM,
    `<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>`,
    'define',
  )
  manager = new ConnectionManager(createLibvirtConnector())
  const local = localEndpointOpener(() => 'qemu:///system')
  service = createGraphicsService(manager, vncChannels, local)
  const remote = localEndpointOpener(() => 'qemu+ssh://root@vm-host.example/system')
  remoteService = createGraphicsService(manager, vncChannels, remote)
  manager.add('sys', 'qemu:///system')
  await manager.whenConnected('sys')
})

afterAll(async () => {
  manager?.dispose()
  vncChannels.dispose()
  broker.dispose()
  await server?.close()
  if (!vncWasRunning) quietly(() => virsh('destroy', VNC_VM))
  quietly(() => virsh('destroy', PASSWORD_VM))
  quietly(() => virsh('destroy', SPICE_VM))
  quietly(() => virsh('undefine', STOPPED_VM))
  rmSync(dir, { recursive: true, force: true })
})

describe('graphics service against the system daemon', () => {
  it('describes the diskless VM’s VNC display from its live XML', async () => {
    const d = await service.describe({ hostId: 'sys', uuid: vncUuid }, { signal: signal() })
    expect(d.active).toBe(true)
    expect(d.vncProblem).toBeUndefined()
    const vnc = d.devices.find((g) => g.type === 'vnc')
    expect(vnc).toMatchObject({ autoport: true, hasPassword: false })
    expect(vnc!.listens).toContainEqual({ type: 'address', address: '127.0.0.1' })
    const display = virsh('vncdisplay', VNC_VM).trim() // 127.0.0.1:N
    expect(vnc!.port).toBe(5900 + Number(display.split(':')[1]))
  })

  it('carries the VNC server’s handshake through the byte channel', async () => {
    const opened = await service.openVnc({ hostId: 'sys', uuid: vncUuid }, { signal: signal() })
    expect(opened.password).toBeUndefined()
    expect(opened.endpoint).toMatch(/^127\.0\.0\.1:59\d\d$/)
    const ch = await openChannel(opened.ticket)
    expect((await ch.waitFor(12)).toString('latin1')).toBe('RFB 003.008\n')
    // Answer with our version: the server lists its security types (1 = None).
    ch.ws.send(Buffer.from('RFB 003.008\n'))
    const types = (await ch.waitFor(14)).subarray(12)
    expect(types[0]).toBeGreaterThan(0) // number of types
    expect([...types.subarray(1, 1 + types[0]!)]).toContain(1)
    ch.ws.close()
    expect((await ch.closed)[0]).toBe(1005)
  })

  it('uses the password and unix socket from the secure XML without exposing it in describe', async () => {
    const uuid = uuidOf(PASSWORD_VM)
    const d = await service.describe({ hostId: 'sys', uuid }, { signal: signal() })
    expect(d.devices[0]).toMatchObject({ type: 'vnc', hasPassword: true })
    expect(d.devices[0]!.listens).toEqual([{ type: 'socket', socket: SOCKET }])
    expect(JSON.stringify(d)).not.toContain(VNC_PASSWORD)
    const opened = await service.openVnc({ hostId: 'sys', uuid }, { signal: signal() })
    expect(opened).toMatchObject({ password: VNC_PASSWORD, endpoint: `unix:${SOCKET}` })
    const ch = await openChannel(opened.ticket)
    expect((await ch.waitFor(12)).toString('latin1')).toBe('RFB 003.008\n')
    ch.ws.send(Buffer.from('RFB 003.008\n'))
    const types = (await ch.waitFor(14)).subarray(12)
    // 2 = VNC Authentication: the server wants the password we hand to noVNC.
    expect([...types.subarray(1, 1 + types[0]!)]).toEqual([2])
    ch.ws.close()
  })

  it('says a SPICE-only VM has no VNC, and a stopped VM is not running', async () => {
    const spice = await service.describe(
      { hostId: 'sys', uuid: uuidOf(SPICE_VM) },
      { signal: signal() },
    )
    expect(spice).toMatchObject({ active: true, vncProblem: 'spice-only' })
    expect(spice.devices[0]).toMatchObject({ type: 'spice', autoport: true })
    expect(spice.devices[0]!.port).toBeGreaterThanOrEqual(5900)
    await expect(
      service.openVnc({ hostId: 'sys', uuid: uuidOf(SPICE_VM) }, { signal: signal() }),
    ).rejects.toMatchObject({ code: 'spice-only', message: expect.stringMatching(/SPICE/) })

    const off = await service.describe(
      { hostId: 'sys', uuid: uuidOf(STOPPED_VM) },
      { signal: signal() },
    )
    expect(off).toMatchObject({ active: false, vncProblem: 'not-running' })
    await expect(
      service.openVnc({ hostId: 'sys', uuid: uuidOf(STOPPED_VM) }, { signal: signal() }),
    ).rejects.toMatchObject({ code: 'not-running' })
  })

  it('refuses a host that is not on this machine, saying remote VNC comes with SSH hosts', async () => {
    const d = await remoteService.describe({ hostId: 'sys', uuid: vncUuid }, { signal: signal() })
    expect(d.vncProblem).toBe('remote-host')
    await expect(
      remoteService.openVnc({ hostId: 'sys', uuid: vncUuid }, { signal: signal() }),
    ).rejects.toMatchObject({ code: 'remote-host', message: expect.stringMatching(/SSH hosts/) })
    expect(vncChannels.counts).toEqual({ waiting: 0, bridged: 0 })
  })

  it('takes a PNG screenshot, returned or saved, and refuses to replace a file unasked', async () => {
    const shot = await service.screenshot({ hostId: 'sys', uuid: vncUuid }, { signal: signal() })
    expect(shot).toMatchObject({ width: 720, height: 400 })
    expect(shot.fileName).toMatch(/^virtdeck-vnc-\d{8}-\d{6}\.png$/)
    const png = Buffer.from(shot.pngBase64!, 'base64')
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(png.length).toBe(shot.size)

    const path = join(dir, 'shot.png')
    const saved = await service.screenshot(
      { hostId: 'sys', uuid: vncUuid, path },
      { signal: signal() },
    )
    expect(saved.savedTo).toBe(path)
    expect(saved.pngBase64).toBeUndefined()
    expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG')
    writeFileSync(path, 'keep me')
    await expect(
      service.screenshot({ hostId: 'sys', uuid: vncUuid, path }, { signal: signal() }),
    ).rejects.toMatchObject({ code: 'file-exists' })
    expect(readFileSync(path, 'utf8')).toBe('keep me')
    await service.screenshot(
      { hostId: 'sys', uuid: vncUuid, path, overwrite: true },
      { signal: signal() },
    )
    expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG')
  })

  it('closes a connection whose ticket the page never claims', async () => {
    const shortLived = new VncChannels(broker, 100)
    const svc = createGraphicsService(
      manager,
      shortLived,
      localEndpointOpener(() => 'qemu:///system'),
    )
    const opened = await svc.openVnc({ hostId: 'sys', uuid: vncUuid }, { signal: signal() })
    expect(shortLived.counts.waiting).toBe(1)
    for (let i = 0; i < 100 && shortLived.counts.waiting > 0; i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(shortLived.counts).toEqual({ waiting: 0, bridged: 0 })
    expect(broker.claim(opened.ticket)).toBeUndefined()
  })

  it('leaves no socket, ticket or bridge behind after 50 open/close cycles', async () => {
    const port = Number(virsh('vncdisplay', VNC_VM).trim().split(':')[1]) + 5900
    // Settle: earlier tests' sockets may still be closing.
    await new Promise((r) => setTimeout(r, 300))
    const before = { sockets: openSockets(), qemu: establishedTo(port), pending: broker.pending }
    for (let i = 0; i < 50; i++) {
      const opened = await service.openVnc({ hostId: 'sys', uuid: vncUuid }, { signal: signal() })
      const ch = await openChannel(opened.ticket)
      expect((await ch.waitFor(12)).subarray(0, 12).toString('latin1')).toBe('RFB 003.008\n')
      // Alternate who closes: the page, or the server side (the bridge on main's end).
      if (i % 2 === 0) ch.ws.close()
      else ch.ws.terminate()
      await ch.closed
    }
    for (let i = 0; i < 100 && vncChannels.counts.bridged > 0; i++) {
      await new Promise((r) => setTimeout(r, 20))
    }
    // Closed sockets are released on the next turns of the event loop; a leak (three sockets
    // per cycle, 150 in all) never drains.
    for (let i = 0; i < 50 && openSockets() > before.sockets; i++) {
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(vncChannels.counts).toEqual({ waiting: 0, bridged: 0 })
    expect(vncChannels.activeBridges).toHaveLength(0)
    expect(broker.pending).toBe(before.pending)
    expect(establishedTo(port)).toBe(before.qemu)
    expect(openSockets()).toBeLessThanOrEqual(before.sockets)
    expect(existsSync(SOCKET)).toBe(true) // the password VM's socket is QEMU's, untouched
  })
})
