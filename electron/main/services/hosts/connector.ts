import { join } from 'node:path'
import { connect, parseLibvirtUri } from '@native'
import type { Connector } from './connection-manager'

/** The socket a local URI reaches: ?socket= first, then the scope's standard path. */
function localSocket(uri: ReturnType<typeof parseLibvirtUri>): string {
  if (uri.params.socket) return uri.params.socket
  if (uri.scope === 'session') {
    const runtime = process.env.XDG_RUNTIME_DIR
    if (!runtime)
      throw new Error('qemu:///session needs XDG_RUNTIME_DIR to find the session daemon.')
    return join(runtime, 'libvirt', 'libvirt-sock')
  }
  return '/var/run/libvirt/libvirt-sock'
}

/** Opens host URIs with native's client. */
export const libvirtConnector: Connector = async (text, signal) => {
  const uri = parseLibvirtUri(text)
  if (uri.transport !== 'unix') {
    throw new Error(`The ${uri.transport} transport is not wired into the app yet.`)
  }
  const socketPath = localSocket(uri)
  const connection = await connect({ socketPath, name: uri.daemonName, signal })
  return { connection, readOnly: socketPath.endsWith('-ro') }
}
