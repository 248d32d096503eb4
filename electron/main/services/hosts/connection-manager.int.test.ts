import { connect as netConnect, createServer, type Server, type Socket } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HostConnection } from '@common/contract/hosts'
import { ConnectionManager } from './connection-manager'
import { libvirtConnector } from './connector'

const SYSTEM_SOCKET = '/var/run/libvirt/libvirt-sock'
let dir: string
let manager: ConnectionManager
let seen: HostConnection[]

/** A unix-socket proxy to the real daemon that the test can cut. */
function proxy(path: string): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = netConnect(SYSTEM_SOCKET)
    sockets.add(client).add(upstream)
    client.pipe(upstream).pipe(client)
    const drop = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
  })
  server.listen(path)
  return { server, sockets }
}

/** Resolves with the first state of `id` that matches. */
function until(id: string, match: (s: HostConnection) => boolean, ms = 15_000) {
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

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-conn-'))
  manager = new ConnectionManager(libvirtConnector)
  seen = []
  manager.onChanged((s) => seen.push(s))
})
afterEach(async () => {
  manager.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('ConnectionManager against the real daemon', () => {
  it('connects and reports the host name and libvirt version', async () => {
    manager.add('sys', 'qemu:///system')
    const state = await until('sys', (s) => s.status === 'connected')
    expect(state.hostname).toBeTruthy()
    expect(state.libVersion).toMatch(/^\d+\.\d+\.\d+$/)
    expect(seen[0]?.status).toBe('connecting')
    expect(manager.connection('sys')).toBeDefined()
    // whenConnected: at once for a connected host, and once a reconnect has come through.
    expect(await manager.whenConnected('sys')).toBe(manager.connection('sys'))
    await manager.disconnect('sys')
    const again = manager.whenConnected('sys')
    manager.connect('sys')
    expect(await again).toBe(manager.connection('sys'))
    await expect(manager.whenConnected('nobody')).rejects.toThrow('No host "nobody" is managed.')
    await manager.disconnect('sys')
    expect(manager.states()[0]?.status).toBe('disconnected')
    expect(manager.connection('sys')).toBeUndefined()
  })

  it('keeps retrying a daemon that is not running, and connects once it appears', async () => {
    const path = join(dir, 'later.sock')
    manager.add('late', `qemu+unix:///system?socket=${path}`)
    const waiting = await until('late', (s) => s.status === 'reconnecting')
    expect(waiting.problem?.kind).toBe('not-running')
    expect(waiting.retryInMs).toBe(1000)
    const { server } = proxy(path)
    try {
      await until('late', (s) => s.status === 'connected')
    } finally {
      await manager.remove('late')
      server.close()
    }
  })

  it('notices a lost connection and reconnects', async () => {
    const path = join(dir, 'cut.sock')
    const { server, sockets } = proxy(path)
    try {
      manager.add('cut', `qemu+unix:///system?socket=${path}`)
      await until('cut', (s) => s.status === 'connected')
      for (const s of sockets) s.destroy()
      const lost = await until('cut', (s) => s.status === 'reconnecting')
      expect(lost.problem?.kind).toBe('lost')
      seen = []
      await until('cut', (s) => s.status === 'connected')
    } finally {
      await manager.remove('cut')
      server.close()
    }
  })

  it('fails without retrying when the daemon refuses the driver URI', async () => {
    manager.add('bad', 'test+unix:///nonexistent/virtdeck-host.xml')
    const waiting = manager.whenConnected('bad')
    const failed = await until('bad', (s) => s.status === 'failed')
    await expect(waiting).rejects.toThrow(/^Host "bad" failed: .*nonexistent/)
    expect(failed.problem?.kind).toBe('other')
    expect(failed.problem?.message).toMatch(/nonexistent/)
    await new Promise((r) => setTimeout(r, 1200))
    expect(seen.filter((s) => s.id === 'bad').map((s) => s.status)).toEqual([
      'connecting',
      'failed',
    ])
  })
})
