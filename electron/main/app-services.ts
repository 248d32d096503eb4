import { join } from 'node:path'
import {
  app as appContract,
  consoles as consolesContract,
  graphics as graphicsContract,
  hosts as hostsContract,
  settings as settingsContract,
  vmDetails as vmDetailsContract,
  vms as vmsContract,
} from '@common/contract'
import { ServiceRegistry } from '@common/ipc/channel-server'
import { DisposableStore, type Disposable } from '@common/lifecycle'
import { createAppService, type AppFacts } from './services/app/app-service'
import { ChannelBroker } from './services/channels'
import { createConsolesService } from './services/consoles/consoles-service'
import { SerialConsoles } from './services/consoles/serial-console'
import { localEndpointOpener } from './services/graphics/endpoint-opener'
import { createGraphicsService } from './services/graphics/graphics-service'
import { VncChannels } from './services/graphics/vnc-channels'
import { HostRegistry } from './services/hosts/host-registry'
import { ConnectionManager, type Connector } from './services/hosts/connection-manager'
import { createLibvirtConnector } from './services/hosts/connector'
import { createHostsService, syncConnections } from './services/hosts/hosts-service'
import type { SocketCandidate } from './services/hosts/local-daemons'
import { JobProgressReporter } from './services/vms/job-progress'
import { StatsPoller } from './services/vms/stats-poller'
import { VmLists } from './services/vms/vm-lists'
import { createVmDetailsService } from './services/vms/vm-details'
import { createVmsService } from './services/vms/vms-service'
import { createSettingsService } from './services/settings/settings-service'
import { SettingsStore } from './services/settings/settings-store'

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
  /** Stats tick in ms, fixed, instead of the setting (tests). */
  statsTickMs?: number
  /** How often a running save's progress is read, ms (tests); default 500. */
  jobPollMs?: number
  /** Overrides how host URIs are opened (tests). */
  connector?: Connector
}

/** Creates every service and registers it for the IPC channels. */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const store = new DisposableStore()
  const hostRegistry = store.add(await HostRegistry.open(join(options.userDataDir, 'hosts.json')))
  const settings = store.add(await SettingsStore.open(join(options.userDataDir, 'settings.json')))
  const connector =
    options.connector ??
    createLibvirtConnector({ appKnownHostsFile: join(options.userDataDir, 'known_hosts') })
  const connections = store.add(new ConnectionManager(connector))
  store.add(syncConnections(hostRegistry, connections))
  const vmLists = store.add(new VmLists(connections))
  const tickMs = (s: { statsIntervalSeconds: number }) => s.statsIntervalSeconds * 1000
  const stats = store.add(
    new StatsPoller(connections, options.statsTickMs ?? tickMs(settings.current)),
  )
  if (options.statsTickMs === undefined) {
    store.add(settings.onChanged((s) => stats.setTickMs(tickMs(s))))
  }
  const channels = store.add(new ChannelBroker())
  const registry = new ServiceRegistry()
  registry.register(appContract, createAppService(options))
  registry.register(
    hostsContract,
    createHostsService(hostRegistry, connections, options.socketCandidates),
  )
  const jobs = store.add(new JobProgressReporter(options.jobPollMs))
  registry.register(vmsContract, createVmsService(vmLists, connections, stats, jobs))
  registry.register(settingsContract, createSettingsService(settings))
  registry.register(vmDetailsContract, createVmDetailsService(connections))
  const vncChannels = store.add(new VncChannels(channels))
  const hostUri = (id: string) => hostRegistry.list().find((h) => h.id === id)?.uri
  registry.register(
    graphicsContract,
    createGraphicsService(connections, vncChannels, localEndpointOpener(hostUri)),
  )
  const serialConsoles = store.add(new SerialConsoles(channels))
  registry.register(consolesContract, createConsolesService(connections, serialConsoles))
  return { registry, channels, dispose: () => store.dispose() }
}
