/**
 * The plain TCP transport (`qemu+tcp://`, port 16509). Only sensible on a trusted network
 * or with SASL encryption, which this client does not do; TLS comes with tls.ts.
 */
import { createConnection } from 'node:net'
import { awaitSocket, type ConnectTransportOptions } from './net-connect'
import type { RpcTransport } from './transport'

/** libvirtd's default port for `+tcp`. */
export const DEFAULT_TCP_PORT = 16509

/**
 * Connects to a daemon over TCP (Nagle off: calls are small and latency-bound).
 * @throws TransportError (ECONNREFUSED, EHOSTUNREACH, timeout, abort)
 */
export async function connectTcp(
  host: string,
  port = DEFAULT_TCP_PORT,
  options?: ConnectTransportOptions,
): Promise<RpcTransport> {
  const socket = createConnection({ host, port, noDelay: true })
  return awaitSocket(socket, `tcp:${host}:${port}`, options)
}
