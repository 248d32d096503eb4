import { describe, expect, it } from 'vitest'
import * as contracts from '@common/contract'
import type { ServiceContract } from '@common/contract/define'
import type { ChannelClient } from '@common/ipc/channel-client'
import { toDisposable } from '@common/lifecycle'
import { serviceClient } from './service-client'

/** A channel that records what the clients asked of it. */
function recordingChannel() {
  const log: string[] = []
  const channel = {
    call: (service: string, method: string, input: unknown) => {
      log.push(`call ${service}.${method} ${JSON.stringify(input)}`)
      return Promise.resolve('ok')
    },
    subscribe: (service: string, event: string) => {
      log.push(`subscribe ${service}.${event}`)
      return toDisposable(() => log.push(`unsubscribe ${service}.${event}`))
    },
  } as unknown as ChannelClient
  return { channel, log }
}

const services = (Object.values(contracts) as unknown[]).filter(
  (c): c is ServiceContract => typeof c === 'object' && c !== null && 'spec' in c,
)

describe('serviceClient', () => {
  it('calls every method and subscribes every event of every contract by its name', async () => {
    expect(services.length).toBeGreaterThanOrEqual(7)
    for (const contract of services) {
      const { channel, log } = recordingChannel()
      const client = serviceClient(channel, contract.name) as Record<string, unknown>
      for (const [key, member] of Object.entries(contract.spec)) {
        const fn = client[key] as (arg: unknown) => unknown
        expect(typeof fn).toBe('function')
        if (member.kind === 'method') {
          await expect(fn({ a: 1 })).resolves.toBe('ok')
          expect(log.pop()).toBe(`call ${contract.name}.${key} {"a":1}`)
        } else {
          ;(fn(() => undefined) as { dispose(): void }).dispose()
          expect(log).toEqual([
            `subscribe ${contract.name}.${key}`,
            `unsubscribe ${contract.name}.${key}`,
          ])
          log.length = 0
        }
      }
    }
  })

  it('is not a promise and keeps each member', () => {
    const { channel } = recordingChannel()
    const client = serviceClient(channel, 'vms') as Record<string, unknown>
    expect(client.then).toBeUndefined()
    expect(client.lists).toBe(client.lists)
  })
})
