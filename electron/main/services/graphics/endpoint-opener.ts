/**
 * Opens the byte stream to a VM's display server. The graphics service only knows this
 * interface, so a remote host can plug in an SSH channel (ssh2's `forwardOut` for a TCP
 * endpoint, `openssh_forwardOutStreamLocal` for a unix socket) where a local host uses a
 * direct socket: both give a Duplex, and the bridge does not care which.
 */
import { connect, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { parseLibvirtUri } from '@native'
import { describeEndpoint, type GraphicsEndpoint } from './vnc-endpoint'

/** Opens display endpoints as seen from a host's machine. */
export interface GraphicsEndpointOpener {
  /** Whether this opener can reach displays on that host at all. */
  canOpen(hostId: string): boolean
  /**
   * Connects to the endpoint on the host's machine.
   * @throws GraphicsUnavailableError `remote-host` when {@link canOpen} is false; a
   *   GraphicsConnectError when the server does not answer
   */
  openGraphicsSocket(
    hostId: string,
    endpoint: GraphicsEndpoint,
    signal: AbortSignal,
  ): Promise<Duplex>
}

/** The display cannot be reached for a reason the page explains (code: a VncProblem). */
export class GraphicsUnavailableError extends Error {
  override readonly name = 'GraphicsUnavailableError'
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Connecting to the display server failed (refused, timed out, gone). */
export class GraphicsConnectError extends Error {
  override readonly name = 'GraphicsConnectError'
  readonly code = 'connect-failed'
}

/** How long a connection attempt may take. */
const CONNECT_TIMEOUT_MS = 10_000

/**
 * Connects to a local endpoint: TCP (no Nagle: keystrokes and small updates go out at
 * once) or a unix socket.
 */
export function connectEndpoint(endpoint: GraphicsEndpoint, signal: AbortSignal): Promise<Socket> {
  const where = describeEndpoint(endpoint)
  return new Promise((resolve, reject) => {
    const socket =
      endpoint.kind === 'unix'
        ? connect({ path: endpoint.path })
        : connect({ host: endpoint.host, port: endpoint.port, noDelay: true })
    const fail = (err: Error) => {
      cleanup()
      socket.destroy()
      reject(err)
    }
    const onError = (err: Error) =>
      fail(
        new GraphicsConnectError(`Could not connect to the VNC server at ${where}: ${err.message}`),
      )
    const onAbort = () =>
      fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    const timer = setTimeout(
      () => fail(new GraphicsConnectError(`The VNC server at ${where} did not answer in time.`)),
      CONNECT_TIMEOUT_MS,
    )
    const cleanup = () => {
      clearTimeout(timer)
      socket.off('error', onError)
      signal.removeEventListener('abort', onAbort)
    }
    socket.once('error', onError)
    socket.once('connect', () => {
      cleanup()
      resolve(socket)
    })
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * The opener for hosts on this machine (unix-socket URIs such as qemu:///system). Hosts
 * reached over the network are refused with a clear message: their displays listen on
 * that machine, and reaching them needs the SSH channel that SSH hosts bring.
 * @param hostUri the URI of a host by id (undefined for an unknown host)
 */
export function localEndpointOpener(
  hostUri: (hostId: string) => string | undefined,
): GraphicsEndpointOpener {
  const isLocal = (hostId: string): boolean => {
    const uri = hostUri(hostId)
    if (uri === undefined) return false
    try {
      return parseLibvirtUri(uri).isLocal
    } catch {
      return false
    }
  }
  return {
    canOpen: isLocal,
    async openGraphicsSocket(hostId, endpoint, signal) {
      if (!isLocal(hostId)) {
        throw new GraphicsUnavailableError(
          'remote-host',
          'This host is not on this machine: the graphical console of remote hosts arrives ' +
            'with SSH hosts. Use the serial console meanwhile.',
        )
      }
      return connectEndpoint(endpoint, signal)
    },
  }
}
