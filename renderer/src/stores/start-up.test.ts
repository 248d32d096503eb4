import { beforeEach, describe, expect, it } from 'vitest'
import { app, hosts, settings, vms } from '@common/contract'
import type { HostConnection, HostEntry } from '@common/contract/hosts'
import { DEFAULT_SETTINGS } from '@common/contract/settings-defaults'
import type { VmList, VmSummary } from '@common/contract/vms'
import { ChannelClient } from '@common/ipc/channel-client'
import { ChannelServer, ServiceRegistry } from '@common/ipc/channel-server'
import { createMemoryTransportPair } from '@common/ipc/memory-transport'
import { Emitter } from '@common/lifecycle'
import type { Api } from '../ipc/client'
import { firstContact } from '../ipc/first-contact'
import { HeldTransport } from '../ipc/held-transport'
import { serviceClient } from '../ipc/service-client'
import { initialAppState } from './app/initial-state'
import { useAppStore } from './app/store'
import { initialHostsState } from './hosts/initial-state'
import { useHostsStore } from './hosts/store'
import { startStores } from './start-up'
import { initialVmsState } from './vms/initial-state'
import { useVmsStore } from './vms/store'

const host: HostEntry = {
  id: 'h',
  name: 'test',
  uri: 'test:///default',
  target: { driver: 'test', transport: 'unix' },
  isLocal: true,
  addedAt: '2026-01-01T00:00:00.000Z',
}
const connection = (status: HostConnection['status']): HostConnection => ({
  id: 'h',
  status,
  readOnly: false,
  attempt: 1,
})
const vm: VmSummary = {
  hostId: 'h',
  uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
  name: 'test',
  state: 'running',
  id: 1,
  vcpus: 2,
  memoryKiB: 8388608,
  autostart: false,
  persistent: true,
}

/**
 * Main as a cold start sees it: the host still connecting when the page asks, and connected
 * (with its list) just after the replies went out, pushed as events.
 */
function coldMain() {
  const log: string[] = []
  const connectionChanged = new Emitter<HostConnection>()
  const listChanged = new Emitter<VmList>()
  const registry = new ServiceRegistry()
  const subscribe =
    <T>(name: string, emitter: Emitter<T>) =>
    (listener: (value: T) => void) => {
      log.push(`sub ${name}`)
      return emitter.event(listener)
    }
  const never = (name: string) => subscribe(name, new Emitter<never>())
  registry.register(app, {
    getInfo: async () => {
      log.push('req getInfo')
      return { name: 'Virtdeck', version: '0', mode: 'web', platform: 'linux' }
    },
  })
  registry.register(settings, {
    get: async () => {
      log.push('req settings.get')
      return { settings: DEFAULT_SETTINGS }
    },
    onChanged: never('settings.onChanged'),
  } as never)
  registry.register(hosts, {
    list: async () => {
      log.push('req hosts.list')
      return [host]
    },
    connections: async () => {
      log.push('req hosts.connections')
      return [connection('connecting')]
    },
    discoverLocal: async () => ({ daemons: [], platform: 'linux' }),
    onChanged: never('hosts.onChanged'),
    onConnectionChanged: subscribe('hosts.onConnectionChanged', connectionChanged),
  } as never)
  registry.register(vms, {
    lists: async () => {
      log.push('req vms.lists')
      // The connection comes up right after this reply is sent.
      setTimeout(() => {
        connectionChanged.fire(connection('connected'))
        listChanged.fire({ hostId: 'h', vms: [vm] })
      }, 0)
      return [{ hostId: 'h', vms: [] }]
    },
    onListChanged: subscribe('vms.onListChanged', listChanged),
    onJobProgress: never('vms.onJobProgress'),
    onStats: never('vms.onStats'),
  } as never)
  return { registry, log }
}

/** The page's side as main.tsx builds it: a held link with the first data asked for. */
function openLink(registry: ServiceRegistry) {
  const [pageSide, mainSide] = createMemoryTransportPair()
  new ChannelServer(mainSide, registry)
  const held = new HeldTransport(pageSide)
  const channel = new ChannelClient(held)
  const api = {
    app: serviceClient(channel, 'app'),
    hosts: serviceClient(channel, 'hosts'),
    vms: serviceClient(channel, 'vms'),
    settings: serviceClient(channel, 'settings'),
    channel,
  } as unknown as Api
  return { api, release: () => held.release(), first: firstContact(api) }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30))

beforeEach(() => {
  useAppStore.setState(initialAppState)
  useHostsStore.setState(initialHostsState)
  useVmsStore.setState(initialVmsState)
})

describe('start-up over the held link', () => {
  it('subscribes before it asks, so nothing main pushes after its replies is lost', async () => {
    const main = coldMain()
    openLink(main.registry)
    await settle()
    const firstRequest = main.log.findIndex((l) => l.startsWith('req'))
    expect(firstRequest).toBeGreaterThan(0)
    expect(main.log.slice(0, firstRequest).every((l) => l.startsWith('sub'))).toBe(true)
    expect(main.log.filter((l) => l.startsWith('sub'))).toHaveLength(6)
  })

  it('applies the replies, then the events that came after them, however late it attaches', async () => {
    const main = coldMain()
    const link = openLink(main.registry)
    await settle() // replies and events are all in, held
    expect(useHostsStore.getState().hosts).toEqual([])
    await startStores(link)
    await settle()
    expect(useAppStore.getState().link).toEqual({ status: 'ready' })
    expect(useHostsStore.getState().hosts).toEqual([host])
    expect(useHostsStore.getState().connections.h?.status).toBe('connected')
    expect(useVmsStore.getState().byHost.h).toEqual([vm])
  })
})
