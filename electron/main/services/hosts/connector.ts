import { connectUri, parseLibvirtUri } from '@native'
import type { Connector } from './connection-manager'

/**
 * Opens host URIs with native's client: unix sockets, TCP, TLS and SSH, as the URI says.
 * A connection through a `-ro` socket is read-only. SSH host keys are checked against
 * known_hosts (the URI's known_hosts= or ~/.ssh/known_hosts); an unknown key is refused
 * until the app can ask the user about it.
 */
export const libvirtConnector: Connector = async (text, signal) => {
  const uri = parseLibvirtUri(text)
  const connection = await connectUri(uri, { signal })
  const readOnly = uri.params.socket?.endsWith('-ro') ?? false
  return { connection, readOnly }
}
