import { join } from 'node:path'
import { app as appContract, hosts as hostsContract, vms as vmsContract } from '@common/contract'
import { ServiceRegistry } from '@common/ipc/channel-server'
import { DisposableStore, type Disposable } from '@common/lifecycle'
import { createAppService, type AppFacts } from './services/app/app-service'
import { ChannelBroker } from './services/channels'
import { HostRegistry } from './services/hosts/host-registry'
import { ConnectionManager, type Connector } from './services/hosts/connection-manager'
import { libvirtConnector } from './services/hosts/connector'
import { createHostsService, syncConnections } from './services/hosts/hosts-service'
import type { SocketCandidate } from './services/hosts/local-daemons'
import { StatsPoller } from './services/vms/stats-poller'
import { VmLists } from './services/vms/vm-lists'
import { createVmsService } from './services/vms/vms-service'

/** What both entry points (the Electron window and web mode) need to serve the UI. */
export interface AppServices extends Disposable {
  registry: ServiceRegistry
  /** Byte channels (consoles) the entry point opens for the page by ticket. */
  channels: ChannelBroker
}

/** Options for createAppServices. */
export interface AppServicesOptions extends AppFacts {
  /** Where the user's settings and host list live. */
  userDataDir: string
  /** Overrides local socket discovery (tests point it at the test host's sockets). */
  socketCandidates?: () => SocketCandidate[]
  /** Stats tick in ms (default 1 s). */
  statsTickMs?: number
  /** Overrides how host URIs are opened (tests). */
  connector?: Connector
}

/** Creates every service and registers it for the IPC channels. */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const store = new DisposableStore()
  const hostRegistry = store.add(await HostRegistry.open(join(options.userDataDir, 'hosts.json')))
  const connections = store.add(new ConnectionManager(options.connector ?? libvirtConnector))
  store.add(syncConnections(hostRegistry, connections))
  const vmLists = store.add(new VmLists(connections))
  const stats = store.add(new StatsPoller(connections, options.statsTickMs))
  const channels = store.add(new ChannelBroker())
  const registry = new ServiceRegistry()
  registry.register(appContract, createAppService(options))
  registry.register(
    hostsContract,
    createHostsService(hostRegistry, connections, options.socketCandidates),
  )
  registry.register(vmsContract, createVmsService(vmLists, connections, stats))
  return { registry, channels, dispose: () => store.dispose() }
}
