import type { HostsState } from './initial-state'

/** Derived views of the hosts store. */
export const hostsSelectors = {
  selected: (s: HostsState) => s.hosts.find((h) => h.id === s.selectedId),
  /** A host's connection state, undefined before main has reported it. */
  connection: (id: string) => (s: HostsState) => s.connections[id],
  /** Local daemons not yet in the list, offered on the welcome screen. */
  newLocalDaemons: (s: HostsState) => s.discovery?.daemons.filter((d) => !d.added) ?? [],
  /** The first host (in sidebar order) whose connection waits on a question to the user. */
  promptHostId: (s: HostsState) => s.hosts.find((h) => s.connections[h.id]?.prompt)?.id,
  /** How many hosts wait on a question. */
  promptCount: (s: HostsState) => s.hosts.filter((h) => s.connections[h.id]?.prompt).length,
  /** True when discovery ran and found no daemon socket at all: libvirt is not installed. */
  noLocalDaemon: (s: HostsState) => s.discovery !== undefined && s.discovery.daemons.length === 0,
}
