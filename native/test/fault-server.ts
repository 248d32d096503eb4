/**
 * A fault-injecting libvirt endpoint on a unix socket, for what a real daemon cannot be
 * made to do: send garbage, stall, half-close, send an oversized length word, cut a packet
 * in half (convention 12). It parses whole frames in both directions and either
 *
 * - forwards them to a real daemon (`upstream: '/var/run/libvirt/libvirt-sock'`), or
 * - answers with a tiny built-in responder: AUTH_LIST [none], CONNECT_OPEN, CONNECT_CLOSE
 *   (then closes, like libvirtd), SUPPORTS_FEATURE, GET_HOSTNAME, GET_LIB_VERSION 9.0.0,
 *   keepalive PING -> PONG, and "unknown procedure" for everything else.
 *
 * Faults apply to the daemon-to-client direction, either at once (`inject`) or instead of
 * the (n+1)-th frame sent to the client (`after(n, fault)`, `stallAfter(n)` ...).
 *
 *   const fault = await FaultServer.start()
 *   fault.stallAfter(3)
 *   await expect(call).rejects.toBeInstanceOf(RpcTimeoutError)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KEEPALIVE_PROGRAM, REMOTE_PROGRAM } from '../src/protocol/generated/constants.gen'
import { KeepaliveProcedure } from '../src/protocol/generated/keepalive-types.gen'
import {
  encodeAuthListRet,
  encodeConnectGetHostnameRet,
  encodeConnectGetLibVersionRet,
  encodeConnectSupportsFeatureRet,
} from '../src/protocol/generated/remote-codecs.gen'
import { RemoteProcedure } from '../src/protocol/generated/remote-types.gen'
import { Framer } from '../src/rpc/framer'
import { MessageType, parsePacket, type PacketHeader } from '../src/rpc/packet'
import type { XdrWriter } from '../src/xdr/writer'
import { errorReply, okReply, packet } from './packets'

/** What to do to the daemon-to-client direction. */
export type Fault =
  /** Send nothing more (keep reading what the client sends). */
  | { kind: 'stall' }
  /** Send these bytes, then nothing more. */
  | { kind: 'garbage'; bytes: Uint8Array }
  /** Close our sending side (FIN), keep reading. */
  | { kind: 'halfClose' }
  /** Send a length word one above the maximum (33554437), then nothing more. */
  | { kind: 'oversized' }
  /** Send the first half of the frame, then close the socket. */
  | { kind: 'truncate' }
  /** Destroy the socket (RST-like for a unix socket: plain close). */
  | { kind: 'reset' }

/** Options of {@link FaultServer.start}. */
export interface FaultServerOptions {
  /** A real daemon's socket to forward to; without it the built-in responder answers. */
  upstream?: string
  /** Name shown by CONNECT_GET_HOSTNAME in responder mode. */
  hostname?: string
}

interface Conn {
  client: Socket
  upstream: Socket | null
  sent: number
  dead: boolean
}

/** The length word for a whole frame (packet without its length word). */
function withLength(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.byteLength + 4)
  new DataView(out.buffer).setUint32(0, out.byteLength)
  out.set(frame, 4)
  return out
}

/** A unix-socket server that injects transport faults. */
export class FaultServer {
  /** Frames received from clients. */
  framesFromClient = 0
  /** Frames sent to clients. */
  framesToClient = 0
  private readonly conns = new Set<Conn>()
  private pending: { after: number; fault: Fault } | null = null

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    /** The socket path clients connect to. */
    readonly path: string,
    private readonly options: FaultServerOptions,
  ) {}

  /** Starts listening on a fresh socket in a temporary directory. */
  static async start(options: FaultServerOptions = {}): Promise<FaultServer> {
    const dir = mkdtempSync(join(tmpdir(), 'virtdeck-fault-'))
    const path = join(dir, 'sock')
    const server = createServer()
    const fs = new FaultServer(server, dir, path, options)
    server.on('connection', (s) => fs.accept(s))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, resolve)
    })
    return fs
  }

  /** Number of client connections currently open. */
  get connections(): number {
    return this.conns.size
  }

  /** Applies `fault` to every open connection now. */
  inject(fault: Fault): void {
    for (const c of this.conns) this.apply(c, fault, null)
  }

  /** Applies `fault` in place of the (n+1)-th frame sent to a client from now on. */
  after(n: number, fault: Fault): this {
    this.pending = { after: this.framesToClient + n, fault }
    return this
  }

  /** Stops answering after `n` more frames. */
  stallAfter(n: number): this {
    return this.after(n, { kind: 'stall' })
  }

  /** Sends `bytes` instead of the (n+1)-th frame. */
  garbageAfter(n: number, bytes: Uint8Array): this {
    return this.after(n, { kind: 'garbage', bytes })
  }

  /** Half-closes instead of the (n+1)-th frame. */
  halfCloseAfter(n: number): this {
    return this.after(n, { kind: 'halfClose' })
  }

  /** Sends an oversized length word instead of the (n+1)-th frame. */
  oversizedAfter(n: number): this {
    return this.after(n, { kind: 'oversized' })
  }

  /** Sends half of the (n+1)-th frame, then closes. */
  truncateAfter(n: number): this {
    return this.after(n, { kind: 'truncate' })
  }

  /** Closes every connection and the listener, and removes the socket directory. */
  async close(): Promise<void> {
    for (const c of this.conns) this.kill(c)
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    rmSync(this.dir, { recursive: true, force: true })
  }

  private accept(client: Socket): void {
    const conn: Conn = { client, upstream: null, sent: 0, dead: false }
    this.conns.add(conn)
    client.on('error', () => {})
    client.on('close', () => this.kill(conn))
    if (this.options.upstream) {
      const up = createConnection({ path: this.options.upstream })
      conn.upstream = up
      up.on('error', () => this.kill(conn))
      up.on('close', () => this.kill(conn))
      const fromDaemon = new Framer((frame) => this.toClient(conn, frame))
      up.on('data', (d: Buffer) => {
        try {
          fromDaemon.push(d)
        } catch {
          this.kill(conn)
        }
      })
    }
    const fromClient = new Framer((frame) => this.fromClient(conn, frame))
    client.on('data', (d: Buffer) => {
      try {
        fromClient.push(d)
      } catch {
        this.kill(conn)
      }
    })
  }

  private fromClient(conn: Conn, frame: Uint8Array): void {
    this.framesFromClient++
    if (conn.upstream) {
      conn.upstream.write(withLength(frame))
      return
    }
    const { header } = parsePacket(frame)
    const reply = this.respond(header)
    if (reply) this.toClient(conn, reply.subarray(4))
    if (header.program === REMOTE_PROGRAM && header.procedure === RemoteProcedure.CONNECT_CLOSE) {
      conn.client.end()
    }
  }

  /** The built-in responder: a whole packet, or null for nothing. */
  private respond(h: PacketHeader): Uint8Array | null {
    if (h.program === KEEPALIVE_PROGRAM) {
      if (h.procedure !== KeepaliveProcedure.PING) return null
      return packet({ ...h, procedure: KeepaliveProcedure.PONG })
    }
    if (h.type !== MessageType.CALL) return null
    const ok = (body?: (w: XdrWriter) => void): Uint8Array => okReply(h, body)
    if (h.program === REMOTE_PROGRAM) {
      switch (h.procedure) {
        case RemoteProcedure.AUTH_LIST:
          return ok((w) => encodeAuthListRet(w, { types: [0] }))
        case RemoteProcedure.CONNECT_OPEN:
        case RemoteProcedure.CONNECT_CLOSE:
          return ok()
        case RemoteProcedure.CONNECT_SUPPORTS_FEATURE:
          return ok((w) => encodeConnectSupportsFeatureRet(w, { supported: 1 }))
        case RemoteProcedure.CONNECT_GET_HOSTNAME:
          return ok((w) =>
            encodeConnectGetHostnameRet(w, { hostname: this.options.hostname ?? 'fault-server' }),
          )
        case RemoteProcedure.CONNECT_GET_LIB_VERSION:
          return ok((w) => encodeConnectGetLibVersionRet(w, { lib_ver: 9_000_000n }))
      }
    }
    return errorReply(h, {
      code: 39,
      domain: 7,
      message: `unknown procedure: ${h.procedure}`,
      level: 2,
      dom: null,
      str1: null,
      str2: null,
      str3: null,
      int1: -1,
      int2: -1,
      net: null,
    })
  }

  private toClient(conn: Conn, frame: Uint8Array): void {
    if (conn.dead) return
    if (this.pending && this.framesToClient >= this.pending.after) {
      const { fault } = this.pending
      this.pending = null
      this.apply(conn, fault, frame)
      return
    }
    this.framesToClient++
    conn.sent++
    conn.client.write(withLength(frame))
  }

  private apply(conn: Conn, fault: Fault, frame: Uint8Array | null): void {
    const c = conn.client
    switch (fault.kind) {
      case 'stall':
        conn.dead = true
        return
      case 'garbage':
        conn.dead = true
        c.write(fault.bytes)
        return
      case 'halfClose':
        conn.dead = true
        c.end()
        return
      case 'oversized':
        conn.dead = true
        c.write(Uint8Array.of(0x02, 0x00, 0x00, 0x05, 0, 0, 0, 0))
        return
      case 'truncate': {
        conn.dead = true
        const whole = frame ? withLength(frame) : Uint8Array.of(0, 0, 0, 0x40, 1, 2)
        c.end(whole.subarray(0, Math.max(1, whole.byteLength >> 1)))
        return
      }
      case 'reset':
        this.kill(conn)
        return
    }
  }

  private kill(conn: Conn): void {
    conn.dead = true
    conn.client.destroy()
    conn.upstream?.destroy()
    this.conns.delete(conn)
  }
}
