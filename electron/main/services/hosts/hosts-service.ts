import { describeUri, parseLibvirtUri, type LibvirtUri } from '@native'
import type { ServiceImpl } from '@common/contract/define'
import type { HostEntry, hosts } from '@common/contract/hosts'
import type { HostRegistry, StoredHost } from './host-registry'
import { discoverLocalDaemons, socketCandidates } from './local-daemons'

/** A short default name for a new host: "server (system)", "This computer (session)". */
function defaultName(uri: LibvirtUri): string {
  const where = uri.host ?? 'localhost'
  return uri.scope ? `${where} (${uri.scope})` : `${where} (${uri.driver})`
}

function toEntry(host: StoredHost): HostEntry {
  const uri = parseLibvirtUri(host.uri)
  return { ...host, summary: describeUri(uri), isLocal: uri.isLocal }
}

/** Implements the hosts contract on top of the registry and local socket discovery. */
export function createHostsService(
  registry: HostRegistry,
  candidates = socketCandidates,
): ServiceImpl<typeof hosts.spec> {
  return {
    async discoverLocal() {
      const daemons = await discoverLocalDaemons((uri) => registry.hasUri(uri), candidates())
      return { daemons, platform: process.platform }
    },
    async list() {
      return registry.list().map(toEntry)
    },
    async checkUri({ uri }) {
      return { summary: describeUri(parseLibvirtUri(uri)) }
    },
    async add({ uri, name }) {
      const parsed = parseLibvirtUri(uri)
      return toEntry(await registry.add(parsed.raw, name ?? defaultName(parsed)))
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
  }
}
