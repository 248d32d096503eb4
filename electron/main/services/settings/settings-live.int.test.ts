/**
 * Settings through the whole main process, as a window sees them: the IPC channel (zod on
 * every input), the settings file in the user-data folder, and the stats poller switching
 * its tick live against the real daemon.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hosts, settings, vms } from '@common/contract'
import { ChannelClient, createServiceClient } from '@common/ipc/channel-client'
import { ChannelServer } from '@common/ipc/channel-server'
import { createMemoryTransportPair } from '@common/ipc/memory-transport'
import { createAppServices, type AppServices } from '../../app-services'

let dir: string
let services: AppServices
let channel: ChannelClient

async function open() {
  services = await createAppServices({
    name: 'Virtdeck',
    version: 'test',
    mode: 'web',
    userDataDir: dir,
    socketCandidates: () => [],
  })
  const [clientSide, serverSide] = createMemoryTransportPair()
  new ChannelServer(serverSide, services.registry)
  channel = new ChannelClient(clientSide)
  return {
    settings: createServiceClient(channel, settings),
    hosts: createServiceClient(channel, hosts),
    vms: createServiceClient(channel, vms),
  }
}

async function close() {
  channel.dispose()
  services.dispose()
}

/** The median gap between the next `count` + 1 stats ticks, in ms (robust to a skipped tick). */
function medianTickGap(api: Awaited<ReturnType<typeof open>>, count: number): Promise<number> {
  return new Promise((resolve) => {
    const at: number[] = []
    const sub = api.vms.onStats(() => {
      at.push(performance.now())
      if (at.length > count) {
        sub.dispose()
        const gaps = at.slice(1).map((t, i) => t - at[i]!)
        resolve(gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!)
      }
    })
  })
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'virtdeck-settings-live-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('settings in the running main process', () => {
  it('changes the stats tick live and keeps the change across a restart', async () => {
    const api = await open()
    try {
      expect(await api.settings.get()).toEqual({
        settings: {
          statsIntervalSeconds: 1,
          shutdownTimeoutSeconds: 60,
          theme: 'system',
          language: null,
        },
      })
      // The test driver through libvirtd: its stats call is quick, so no tick is skipped.
      await api.hosts.add({ uri: 'test:///default' })
      expect(await medianTickGap(api, 3)).toBeGreaterThan(800)
      const pushed = new Promise((resolve) => api.settings.onChanged(resolve))
      await api.settings.update({ statsIntervalSeconds: 0.5 })
      expect(await pushed).toMatchObject({ statsIntervalSeconds: 0.5 })
      expect(await medianTickGap(api, 5)).toBeLessThan(750)
      await expect(api.settings.update({ statsIntervalSeconds: 0.2 })).rejects.toThrow(
        /statsIntervalSeconds: At least 0.5 s/,
      )
      const saved = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as object
      expect(saved).toMatchObject({ version: 1, statsIntervalSeconds: 0.5 })
    } finally {
      await close()
    }
    const again = await open()
    try {
      expect((await again.settings.get()).settings.statsIntervalSeconds).toBe(0.5)
    } finally {
      await close()
    }
  })
})
