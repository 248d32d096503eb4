import { describe, expect, it } from 'vitest'
import {
  ConnectionLostError,
  DomainInterfaceAddressesSource,
  VirtError,
  type DomainInterface,
  type HasRemote,
  type NonnullDomain,
} from '@native'
import { guestAddresses } from './guest-addresses'

const dom: NonnullDomain = { name: 'g', uuid: new Uint8Array(16), id: 3 }

/** libvirt's refusal when no guest agent channel is configured (seen on the test host). */
const noAgent = new VirtError({
  code: 74,
  domain: 10,
  message: 'argument unsupported: QEMU guest agent is not configured',
  level: 2,
  dom: null,
  str1: null,
  str2: null,
  str3: null,
  int1: 0,
  int2: 0,
  net: null,
})

/**
 * Answers per source. The test host's daemon has no DHCP server, no guest agent and cannot
 * read its ARP table, so addresses can only be exercised with given answers.
 */
function remoteAnswering(answers: Record<number, DomainInterface[] | Error>) {
  const asked: number[] = []
  const conn = {
    remote: {
      domainInterfaceAddresses: ({ source }: { source: number }) => {
        asked.push(source)
        const a = answers[source] ?? []
        return a instanceof Error ? Promise.reject(a) : Promise.resolve({ ifaces: a })
      },
    },
  } as unknown as HasRemote
  return { conn, asked }
}

const { LEASE, AGENT, ARP } = DomainInterfaceAddressesSource

describe('guestAddresses', () => {
  it('tries the leases, then the agent, then ARP, and keeps the first that knows any', async () => {
    const { conn, asked } = remoteAnswering({
      [LEASE]: [],
      [AGENT]: noAgent,
      [ARP]: [
        {
          name: 'vnet0',
          hwaddr: '52:54:00:AA:BB:01',
          addrs: [{ type: 0, addr: '192.168.122.5', prefix: 0 }],
        },
      ],
    })
    const found = await guestAddresses(conn, dom, new AbortController().signal)
    expect(asked).toEqual([LEASE, AGENT, ARP])
    expect([...found]).toEqual([
      ['52:54:00:aa:bb:01', [{ family: 'ipv4', address: '192.168.122.5', prefix: 0 }]],
    ])
  })

  it('stops at the agent when it answers, skipping the loopback it reports', async () => {
    const { conn, asked } = remoteAnswering({
      [AGENT]: [
        { name: 'lo', hwaddr: null, addrs: [{ type: 0, addr: '127.0.0.1', prefix: 8 }] },
        {
          name: 'eth0',
          hwaddr: '52:54:00:aa:bb:02',
          addrs: [
            { type: 0, addr: '10.0.0.2', prefix: 24 },
            { type: 1, addr: 'fe80::5054:ff:feaa:bb02', prefix: 64 },
          ],
        },
      ],
    })
    const found = await guestAddresses(conn, dom, new AbortController().signal)
    expect(asked).toEqual([LEASE, AGENT])
    expect(found.get('52:54:00:aa:bb:02')?.map((a) => a.family)).toEqual(['ipv4', 'ipv6'])
    expect(found.size).toBe(1)
  })

  it('answers with no addresses when every source refuses', async () => {
    const { conn } = remoteAnswering({ [LEASE]: noAgent, [AGENT]: noAgent, [ARP]: noAgent })
    expect((await guestAddresses(conn, dom, new AbortController().signal)).size).toBe(0)
  })

  it('still fails when the connection is lost', async () => {
    const { conn } = remoteAnswering({ [LEASE]: new ConnectionLostError('socket closed') })
    await expect(guestAddresses(conn, dom, new AbortController().signal)).rejects.toBeInstanceOf(
      ConnectionLostError,
    )
  })
})
