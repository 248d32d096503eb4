import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  connectUri,
  listDomainsWithState,
  lookupDomain,
  setAutostart,
  type Connection,
} from '@native'
import { readTestHost } from '../../../../e2e/fixtures/test-host'
import { listVmSummaries } from './vm-summaries'

const host = readTestHost()
const virsh = (...args: string[]) =>
  execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  })

let scale: Connection
let system: Connection

/** Median wall time of `runs` calls of fn after two warm-up calls, in ms. */
async function medianMs(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  await fn()
  await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await fn()
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!
}

beforeAll(async () => {
  scale = await connectUri(host.testDriver.uri)
  system = await connectUri(host.system.uri)
})

afterAll(async () => {
  await scale?.close()
  await system?.close()
})

describe('VM summaries (list columns)', () => {
  it('lists 1,000 domains with vCPUs, memory, autostart and persistence well under 300 ms', async () => {
    // The test driver's private copy for this connection: the change stays here.
    const one = await lookupDomain(scale, 'scale-0001')
    await setAutostart(scale, one.handle, true)
    const list = await listVmSummaries(scale, 'scale')
    expect(list).toHaveLength(host.testDriver.domainCount)
    expect(list.filter((v) => v.autostart).map((v) => v.name)).toEqual(['scale-0001'])
    expect(list.every((v) => v.persistent && v.vcpus > 0 && v.memoryKiB > 0)).toBe(true)
    expect(new Set(list.map((v) => v.state))).toEqual(new Set(['running', 'shutoff']))

    const listOnly = await medianMs(() => listDomainsWithState(scale))
    const full = await medianMs(() => listVmSummaries(scale, 'scale'))
    console.log(
      `${list.length} domains: list + states ${listOnly.toFixed(0)} ms, ` +
        `full refresh with columns ${full.toFixed(0)} ms (median of 7)`,
    )
    expect(full).toBeLessThan(300)
  })

  it('matches virsh dominfo on the system daemon, transient domains included', async () => {
    const list = await listVmSummaries(system, 'sys')
    const vnc = list.find((v) => v.name === host.domains.vnc)!
    const info = virsh('dominfo', host.domains.vnc)
    const field = (name: string) => new RegExp(`^${name}:\\s+(.+)$`, 'm').exec(info)?.[1]?.trim()
    expect(vnc.vcpus).toBe(Number(field('CPU\\(s\\)')))
    expect(`${vnc.memoryKiB} KiB`).toBe(field('Max memory'))
    expect(vnc.autostart).toBe(field('Autostart') === 'enable')
    expect(vnc.persistent).toBe(field('Persistent') === 'yes')
    const transient = virsh('list', '--transient', '--name').split('\n').filter(Boolean)
    for (const name of transient) {
      expect(list.find((v) => v.name === name)?.persistent).toBe(false)
    }
  })
})
