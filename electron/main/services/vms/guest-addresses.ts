import {
  DomainInterfaceAddressesSource,
  getInterfaceAddresses,
  isTimeout,
  isUnsupported,
  VirtError,
  type HasRemote,
  type NonnullDomain,
} from '@native'
import type { VmIpAddress } from '@common/contract/vm-details'

/** Where to look, in order: libvirt's DHCP leases, the guest agent, the host's ARP table. */
const SOURCES = [
  DomainInterfaceAddressesSource.LEASE,
  DomainInterfaceAddressesSource.AGENT,
  DomainInterfaceAddressesSource.ARP,
]

/** The agent may take seconds to answer; addresses are not worth holding the view for. */
const SOURCE_TIMEOUT_MS = 3000

/**
 * A source that cannot answer is not a failure of the view: no agent configured
 * ("argument unsupported"), an agent not responding, a daemon that cannot read its ARP
 * table ("wrong nlmsg len" on the test host), an older daemon, a slow agent.
 */
const nothingFromThere = (err: unknown): boolean =>
  err instanceof VirtError || isTimeout(err) || isUnsupported(err)

/**
 * A running guest's addresses by lower-case MAC, from the first source that knows any.
 * Empty when none does. A lost connection or a cancelled call still rejects.
 */
export async function guestAddresses(
  conn: HasRemote,
  dom: NonnullDomain,
  signal: AbortSignal,
): Promise<Map<string, VmIpAddress[]>> {
  for (const source of SOURCES) {
    let found
    try {
      found = await getInterfaceAddresses(conn, dom, source, {
        signal,
        timeoutMs: SOURCE_TIMEOUT_MS,
      })
    } catch (err) {
      if (nothingFromThere(err)) continue
      throw err
    }
    const byMac = new Map<string, VmIpAddress[]>()
    for (const iface of found) {
      if (iface.mac === null || iface.addresses.length === 0) continue
      byMac.set(iface.mac, [...(byMac.get(iface.mac) ?? []), ...iface.addresses])
    }
    if (byMac.size > 0) return byMac
  }
  return new Map()
}
