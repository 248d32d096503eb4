/** The unix socket transport (local daemons: system, session, read-only, modular). */
import { createConnection } from 'node:net'
import { awaitSocket, type ConnectTransportOptions } from './net-connect'
import type { RpcTransport } from './transport'

/** The monolithic daemon's read-write system socket. */
export const SYSTEM_SOCKET = '/var/run/libvirt/libvirt-sock'
/** The monolithic daemon's read-only system socket. */
export const SYSTEM_SOCKET_RO = '/var/run/libvirt/libvirt-sock-ro'

/**
 * Connects to a daemon's unix socket.
 * @param path socket path, e.g. {@link SYSTEM_SOCKET}
 * @throws TransportError (ENOENT, EACCES, ECONNREFUSED, timeout, abort)
 */
export function connectUnix(
  path: string,
  options?: ConnectTransportOptions,
): Promise<RpcTransport> {
  return awaitSocket(createConnection({ path }), `unix:${path}`, options)
}
