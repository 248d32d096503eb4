import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createAppServices, type AppServices } from '../app-services'
import { startWebServer, type WebServer } from './server'

let dir: string
let services: AppServices
let server: WebServer

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-web-'))
  const rendererDir = join(dir, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(dir, 'secret.txt'), 'do not serve')
  services = await createAppServices({
    name: 'Virtdeck',
    version: '9.9.9',
    mode: 'web',
    userDataDir: join(dir, 'data'),
    socketCandidates: () => [],
  })
  server = await startWebServer({ registry: services.registry, rendererDir })
})

afterAll(async () => {
  await server.close()
  services.dispose()
  await rm(dir, { recursive: true, force: true })
})

/** A raw GET with chosen headers; resolves with status, headers and body. */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path,
          headers: { host: `127.0.0.1:${server.port}`, ...headers },
        },
        (res) => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        },
      )
      req.on('error', reject)
      req.end()
    },
  )
}

/** Opens the IPC socket with chosen token and headers; resolves open or the refusal. */
function openIpc(token: string | undefined, headers: Record<string, string> = {}) {
  const origin = `http://127.0.0.1:${server.port}`
  const url = `ws://127.0.0.1:${server.port}/ipc${token === undefined ? '' : `?token=${token}`}`
  const ws = new WebSocket(url, { headers: { origin, ...headers } })
  return new Promise<{ ws: WebSocket; opened: boolean }>((resolve) => {
    ws.once('open', () => resolve({ ws, opened: true }))
    ws.once('error', () => resolve({ ws, opened: false }))
  })
}

function rpc(ws: WebSocket, message: object): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>))
    ws.send(JSON.stringify(message))
  })
}

describe('web mode server', () => {
  it('prints a loopback URL with the token in the fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/)
  })

  it('serves the UI with the strict CSP', async () => {
    const page = await get('/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>t</title>')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    // The one relaxation: inline style *attributes* (xterm.js colours cells with them). No
    // unsafe script, no eval, no <style> elements.
    const directives = String(page.headers['content-security-policy']).split('; ')
    expect(directives.filter((d) => d.includes('unsafe'))).toEqual([
      "style-src-attr 'unsafe-inline'",
    ])
    expect(page.headers['cache-control']).toBe('no-store')
    expect((await get('/assets/app.js')).headers['content-type']).toMatch(/javascript/)
  })

  it('never serves files outside the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/../../secret.txt',
      '/%00',
    ]) {
      const res = await get(path)
      expect(res.status, path).toBe(404)
      expect(res.body).not.toContain('do not serve')
    }
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get('/', { host: `evil.example:${server.port}` })).status).toBe(403)
  })

  it('refuses the IPC socket without the token, with a wrong one, or from a foreign origin', async () => {
    expect((await openIpc(undefined)).opened).toBe(false)
    expect((await openIpc('wrong')).opened).toBe(false)
    expect((await openIpc(server.token, { origin: 'http://evil.example' })).opened).toBe(false)
    expect((await openIpc(server.token, { host: 'evil.example' })).opened).toBe(false)
  })

  it('answers calls on the IPC socket and rejects bad requests with a clear error', async () => {
    const { ws, opened } = await openIpc(server.token)
    expect(opened).toBe(true)
    const info = await rpc(ws, { t: 'req', id: 1, service: 'app', method: 'getInfo' })
    expect(info).toMatchObject({
      t: 'ok',
      id: 1,
      value: { name: 'Virtdeck', version: '9.9.9', mode: 'web' },
    })
    const bad = await rpc(ws, {
      t: 'req',
      id: 2,
      service: 'hosts',
      method: 'add',
      input: { uri: 7 },
    })
    expect(bad).toMatchObject({ t: 'err', id: 2, error: { name: 'ValidationError' } })
    const badUri = await rpc(ws, {
      t: 'req',
      id: 3,
      service: 'hosts',
      method: 'add',
      input: { uri: 'qemu+ssh:///system' },
    })
    expect(badUri).toMatchObject({ t: 'err', id: 3, error: { name: 'UriError' } })
    ws.close()
  })
})
