import { describe, expect, it } from 'vitest'
import type { RemoteCalls } from '../protocol/generated/remote-calls.gen'
import { getHostInfo, getHostSummary } from './host'

const model = [...'x86_64'].map((c) => c.charCodeAt(0)).concat(Array(26).fill(0) as number[])
const remote = {
  nodeGetInfo: () =>
    Promise.resolve({
      model,
      memory: 8_000_000n,
      cpus: 8,
      mhz: 2400,
      nodes: 1,
      sockets: 1,
      cores: 4,
      threads: 2,
    }),
  connectGetHostname: () => Promise.resolve({ hostname: 'h1' }),
  connectGetLibVersion: () => Promise.resolve({ lib_ver: 9000000n }),
  connectGetType: () => Promise.resolve({ type: 'QEMU' }),
  connectGetVersion: () => Promise.resolve({ hv_ver: 7002022n }),
  connectGetUri: () => Promise.resolve({ uri: 'qemu:///system' }),
} as unknown as RemoteCalls

describe('host', () => {
  it('NODE_GET_INFO in plain numbers, the model up to its NUL', async () => {
    expect(await getHostInfo({ remote })).toEqual({
      model: 'x86_64',
      memoryKiB: 8_000_000,
      cpus: 8,
      mhz: 2400,
      nodes: 1,
      sockets: 1,
      cores: 4,
      threads: 2,
    })
  })

  it('a summary with versions as text', async () => {
    const s = await getHostSummary({ remote })
    expect(s).toMatchObject({
      hostname: 'h1',
      libVersion: '9.0.0',
      hypervisorType: 'QEMU',
      hypervisorVersion: '7.2.22',
      uri: 'qemu:///system',
    })
  })
})
