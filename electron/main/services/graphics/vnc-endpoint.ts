/**
 * Where to connect for a VM's VNC console, decided from its displays alone. Pure: the
 * socket is opened elsewhere (see endpoint-opener.ts), so the same decision serves a local
 * host (a direct TCP or unix connection) and a remote one (an SSH channel to the same place,
 * as seen from that host).
 */
import type { VncProblem } from '@common/contract/graphics'
import type { GraphicsDeviceXml } from './graphics-xml'

/** A VNC server's address as seen from the VM's host. */
export type GraphicsEndpoint =
  { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string }

/** The endpoint to open and the password to answer with, or why there is none. */
export type VncTarget =
  { ok: true; endpoint: GraphicsEndpoint; password?: string } | { ok: false; problem: VncProblem }

/** Wildcard listens: the server accepts on every address, loopback included. */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '::0', ''])

/** The address to dial for a listen address: loopback for wildcards, else as written. */
export function dialAddress(address: string | undefined): string {
  const a = (address ?? '').trim()
  if (WILDCARDS.has(a)) return '127.0.0.1'
  // libvirt writes IPv6 literals bare; strip brackets if someone wrote them.
  return a.replace(/^\[(.*)\]$/, '$1')
}

/**
 * Picks the VNC endpoint of a VM: the first VNC display; a unix socket when it has one (no
 * port to race for, permissions by file mode), else its TCP address and port.
 * @param active whether the VM runs (a stopped VM listens nowhere)
 */
export function vncTarget(devices: readonly GraphicsDeviceXml[], active: boolean): VncTarget {
  const vnc = devices.find((d) => d.type === 'vnc')
  if (!vnc) {
    if (devices.length === 0) return { ok: false, problem: 'no-graphics' }
    const spice = devices.some((d) => d.type === 'spice')
    return { ok: false, problem: spice ? 'spice-only' : 'unsupported-graphics' }
  }
  const socket = vnc.listens.find((l) => l.type === 'socket' && l.socket)
  const tcp = vnc.listens.find((l) => l.type === 'address' || l.type === 'network')
  const listensNowhere = !socket && vnc.listens.length > 0 && !tcp
  if (listensNowhere) return { ok: false, problem: 'no-listener' }
  if (!active) return { ok: false, problem: 'not-running' }
  const password = vnc.password ? { password: vnc.password } : {}
  if (socket?.socket)
    return { ok: true, endpoint: { kind: 'unix', path: socket.socket }, ...password }
  // A running VM always has its port in the live XML; none means QEMU is not listening yet.
  if (vnc.port === undefined) return { ok: false, problem: 'not-running' }
  const host = dialAddress(tcp?.address)
  return { ok: true, endpoint: { kind: 'tcp', host, port: vnc.port }, ...password }
}

/** An endpoint for messages: `127.0.0.1:5900`, `[::1]:5900`, `unix:/path`. */
export function describeEndpoint(endpoint: GraphicsEndpoint): string {
  if (endpoint.kind === 'unix') return `unix:${endpoint.path}`
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host
  return `${host}:${endpoint.port}`
}
