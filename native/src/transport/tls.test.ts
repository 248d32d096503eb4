/**
 * The TLS transport against a node:tls server playing libvirtd: certificates made with
 * openssl, the verdict byte, then the fault server's tiny responder behind it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createConnection, createServer as createTcpServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type Server, type TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectUri } from '../api/open-uri'
import { TransportError } from '../rpc/errors'
import { FaultServer } from '../../test/fault-server'
import { haveOpenssl, makeCa, makeCert, makeTestPki } from '../../test/pki'

interface FakeDaemon {
  port: number
  server: Server
}

describe.skipIf(!haveOpenssl())('TLS transport', () => {
  let dir: string
  let responder: FaultServer
  const daemons: FakeDaemon[] = []

  /** A TLS listener that sends `verdict` (or nothing) and then relays to the responder. */
  async function daemon(
    serverDir: string,
    options: { verdict?: number | null; prefix?: string; requireClientCert?: boolean } = {},
  ): Promise<number> {
    const prefix = options.prefix ?? 'server'
    const server = createServer(
      {
        key: readFileSync(join(serverDir, `${prefix}key.pem`)),
        cert: readFileSync(join(serverDir, `${prefix}cert.pem`)),
        ca: readFileSync(join(dir, 'pki', 'cacert.pem')),
        requestCert: true,
        rejectUnauthorized: options.requireClientCert ?? true,
      },
      (socket: TLSSocket) => {
        socket.on('error', () => {})
        const verdict = options.verdict === undefined ? 1 : options.verdict
        if (verdict === null) return void socket.end()
        socket.write(Uint8Array.of(verdict))
        if (verdict !== 1) return void socket.end()
        const upstream = createConnection({ path: responder.path })
        upstream.on('error', () => socket.destroy())
        socket.pipe(upstream).pipe(socket)
      },
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    daemons.push({ port, server })
    return port
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtdeck-tls-'))
    makeTestPki(join(dir, 'pki'))
    // A server certificate from another CA, and one for another name.
    makeCa(join(dir, 'other-ca'), 'Someone Else')
    makeCert(join(dir, 'other-ca'), join(dir, 'other-ca'), 'server', 'serverAuth', 'IP:127.0.0.1')
    makeCert(join(dir, 'pki'), join(dir, 'wrong-name'), 'server', 'serverAuth', 'DNS:other.example')
    // A pkipath with the CA only (no client certificate).
    mkdirSync(join(dir, 'ca-only'))
    copyFileSync(join(dir, 'pki', 'cacert.pem'), join(dir, 'ca-only', 'cacert.pem'))
    responder = await FaultServer.start({ hostname: 'tls-responder' })
  })

  afterAll(async () => {
    for (const d of daemons) d.server.close()
    await responder?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('opens a connection after the verdict byte, by IP and by name', async () => {
    const port = await daemon(join(dir, 'pki'))
    for (const host of ['127.0.0.1', 'localhost']) {
      const conn = await connectUri(`qemu+tls://${host}:${port}/system?pkipath=${dir}/pki`)
      expect(conn.transport.description).toBe(`tls:${host}:${port}`)
      expect(await conn.hostname()).toBe('tls-responder')
      await conn.close()
    }
  })

  it('reports a refusing verdict byte', async () => {
    const port = await daemon(join(dir, 'pki'), { verdict: 0 })
    const err = await connectUri(`qemu+tls://127.0.0.1:${port}/system?pkipath=${dir}/pki`).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(TransportError)
    expect((err as Error).message).toMatch(/refused this client .*verdict byte 0/)
  })

  it('names the missing client certificate when the daemon will not have us', async () => {
    const port = await daemon(join(dir, 'pki'), { verdict: null, requireClientCert: false })
    const pki = join(dir, 'ca-only')
    const err = await connectUri(`qemu+tls://127.0.0.1:${port}/system?pkipath=${pki}`).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(TransportError)
    expect((err as Error).message).toContain('without accepting us')
    expect((err as Error).message).toContain(join(pki, 'clientcert.pem'))
  })

  it('refuses a server certificate from another CA unless no_verify=1', async () => {
    const port = await daemon(join(dir, 'other-ca'))
    const err = await connectUri(`qemu+tls://127.0.0.1:${port}/system?pkipath=${dir}/pki`).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(TransportError)
    expect((err as Error).message).toContain('not signed by our CA')
    expect((err as Error).message).toContain(`${dir}/pki/cacert.pem`)
    const conn = await connectUri(
      `qemu+tls://127.0.0.1:${port}/system?pkipath=${dir}/pki&no_verify=1`,
    )
    expect(await conn.hostname()).toBe('tls-responder')
    await conn.close()
  })

  it('refuses a server certificate for another name', async () => {
    const port = await daemon(join(dir, 'wrong-name'))
    const err = await connectUri(`qemu+tls://127.0.0.1:${port}/system?pkipath=${dir}/pki`).catch(
      (e: unknown) => e,
    )
    expect((err as Error).message).toContain('does not name this host')
  })

  it('sends each packet in TLS records of its own (libvirtd stalls otherwise)', async () => {
    const port = await daemon(join(dir, 'pki'))
    // A TCP relay that counts the client's TLS application-data records.
    let records = 0
    const relay = createTcpServer((client) => {
      const up = createConnection({ host: '127.0.0.1', port })
      let pending = Buffer.alloc(0)
      client.on('data', (d: Buffer) => {
        pending = Buffer.concat([pending, d])
        while (pending.length >= 5 && pending.length >= 5 + pending.readUInt16BE(3)) {
          if (pending[0] === 23) records++
          pending = pending.subarray(5 + pending.readUInt16BE(3))
        }
        up.write(d)
      })
      up.pipe(client)
      client.on('error', () => up.destroy())
      up.on('error', () => client.destroy())
    })
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
    try {
      const relayPort = (relay.address() as AddressInfo).port
      const conn = await connectUri(`qemu+tls://127.0.0.1:${relayPort}/system?pkipath=${dir}/pki`, {
        keepalive: false,
      })
      const before = records
      const answers = await Promise.all(Array.from({ length: 50 }, () => conn.hostname()))
      expect(answers).toHaveLength(50)
      expect(records - before).toBeGreaterThanOrEqual(50)
      await conn.close()
    } finally {
      relay.close()
    }
  })
})
