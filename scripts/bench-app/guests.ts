/**
 * The test host's QEMU guests for scenario 3: started when shut off, and put back into the
 * state they were found in afterwards (virsh on qemu:///system, the test host's own tool).
 */
import { spawnSync } from 'node:child_process'

function virsh(uri: string, ...args: string[]): string {
  const r = spawnSync('virsh', ['-c', uri, ...args], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`virsh ${args.join(' ')}: ${r.stderr.trim()}`)
  return r.stdout.trim()
}

/** A domain's state as virsh domstate prints it ("running", "shut off" ...). */
export function domainState(uri: string, name: string): string {
  return virsh(uri, 'domstate', name)
}

/** What {@link startGuests} did, to undo it. */
export interface StartedGuests {
  /** The domains this run started (were shut off before). */
  started: string[]
  /** Domains that could not be started, with libvirt's reason (another run may own them). */
  failed: string[]
  /** Stops exactly those again (destroy: they were off, nothing in them to save). */
  restore(): string[]
}

/**
 * Starts the named domains that are shut off; returns how to put them back. A domain that
 * fails to start (tests running at the same time share these guests) is reported, not fatal:
 * the scenario measures whatever runs.
 */
export function startGuests(uri: string, names: readonly string[]): StartedGuests {
  const started: string[] = []
  const failed: string[] = []
  const restore = () => {
    const problems: string[] = []
    for (const name of started.splice(0)) {
      try {
        if (domainState(uri, name) !== 'shut off') virsh(uri, 'destroy', name)
      } catch (err) {
        problems.push(`${name}: ${(err as Error).message}`)
      }
    }
    return problems
  }
  for (const name of names) {
    try {
      if (domainState(uri, name) !== 'shut off') continue
      virsh(uri, 'start', name)
      started.push(name)
    } catch (err) {
      failed.push(`${name}: ${(err as Error).message.split('\n').pop() ?? ''}`)
    }
  }
  return { started, failed, restore }
}
