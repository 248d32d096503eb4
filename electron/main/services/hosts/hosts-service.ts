import { parseLibvirtUri, type LibvirtUri } from '@native'
import type { ServiceImpl } from '@common/contract/define'
import type { HostEntry, hosts, UriTarget } from '@common/contract/hosts'
import { toDisposable } from '@common/lifecycle'
import type { ConnectionManager } from './connection-manager'
import type { HostRegistry, StoredHost } from './host-registry'
import { hostOverview } from './host-overview'
import { discoverLocalDaemons, socketCandidates } from './local-daemons'

/** The parts of a URI the UI words its summary and default host name from. */
function targetOf(uri: LibvirtUri): UriTarget {
  const { driver, transport, user, host, port, scope } = uri
  return { driver, transport, user, host, port, scope }
}

function toEntry(host: StoredHost): HostEntry {
  const uri = parseLibvirtUri(host.uri)
  return { ...host, target: targetOf(uri), isLocal: uri.isLocal }
}

/**
 * Implements the hosts contract on top of the registry and local socket discovery. Windows
 * watch connections through onConnectionChanged; when the last one stops watching (every
 * window closed), pending prompts end unanswered, so no attempt waits for nobody.
 */
export function createHostsService(
  registry: HostRegistry,
  connections: ConnectionManager,
  candidates = socketCandidates,
): ServiceImpl<typeof hosts.spec> {
  let watchers = 0
  return {
    async discoverLocal() {
      const daemons = await discoverLocalDaemons((uri) => registry.hasUri(uri), candidates())
      return { daemons, platform: process.platform }
    },
    async list() {
      return registry.list().map(toEntry)
    },
    async checkUri({ uri }) {
      return { target: targetOf(parseLibvirtUri(uri)) }
    },
    async add({ uri, name }) {
      const parsed = parseLibvirtUri(uri)
      return toEntry(await registry.add(parsed.raw, name))
    },
    async rename({ id, name }) {
      return toEntry(await registry.rename(id, name))
    },
    async remove({ id }) {
      await registry.remove(id)
    },
    onChanged(listener) {
      return registry.onChanged((list) => listener(list.map(toEntry)))
    },
    async connections() {
      return connections.states()
    },
    async connect({ id }) {
      connections.connect(id)
    },
    async disconnect({ id }) {
      await connections.disconnect(id)
    },
    onConnectionChanged(listener) {
      const sub = connections.onChanged(listener)
      watchers++
      return toDisposable(() => {
        sub.dispose()
        if (--watchers === 0) connections.closePrompts('closed')
      })
    },
    async answerPrompt({ id, answer }) {
      connections.answerPrompt(id, answer)
    },
    async overview({ id }, { signal }) {
      const host = registry.list().find((h) => h.id === id)
      const conn = connections.connection(id)
      if (!host || !conn) throw new Error('The host is not connected.')
      return hostOverview(conn, host.uri, signal)
    },
  }
}

/**
 * Keeps the connection manager in step with the registry: every saved host gets a
 * connection, a removed one loses it.
 */
export function syncConnections(registry: HostRegistry, connections: ConnectionManager) {
  const apply = (list: readonly StoredHost[]) => {
    const ids = new Set(list.map((h) => h.id))
    for (const state of connections.states()) {
      if (!ids.has(state.id)) void connections.remove(state.id)
    }
    for (const host of list) connections.add(host.id, host.uri)
  }
  apply(registry.list())
  return registry.onChanged(apply)
}
