/**
 * The @unraid/libvirt side of the bench, in its own process (a native addon that crashes
 * must not take the bench down). Usage: unraid-peer.ts MODULE_DIR SCENARIO RUNS URI.
 * Prints {"runs": [...]} like py_bench.py. The binding has no getLibVersion, events,
 * streams or bulk stats: its trivial call is connectGetHostname, its state call
 * domainGetInfo.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The part of @unraid/libvirt's Hypervisor the bench uses. */
interface Hypervisor {
  connectOpen(): Promise<void>
  connectClose(): Promise<void>
  connectGetHostname(): Promise<string>
  connectListAllDomains(flags?: number): Promise<unknown[]>
  domainGetInfo(dom: unknown): Promise<{ state: number }>
  domainGetName(dom: unknown): Promise<string>
}
type HypervisorClass = new (options: { uri: string }) => Hypervisor

const CALLS = 1000
const OPEN_CLOSE_BATCH = 10

/** Three warm-up runs of `batch`, then `runs` timed ones: ms each, divided by `per`. */
async function measureRuns(runs: number, batch: () => unknown, per = 1): Promise<number[]> {
  for (let i = 0; i < 3; i++) await batch()
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await batch()
    out.push((performance.now() - start) / per)
  }
  return out
}

async function main(): Promise<void> {
  const [dir, scenario, runsText, uri] = process.argv.slice(2)
  if (!dir || !scenario || !runsText || !uri) throw new Error('usage: MODULE_DIR SCENARIO RUNS URI')
  const runs = Number(runsText)
  const mod = (await import(pathToFileURL(join(dir, 'dist', 'index.js')).href)) as {
    Hypervisor: HypervisorClass
  }
  const open = async (): Promise<Hypervisor> => {
    const h = new mod.Hypervisor({ uri })
    await h.connectOpen()
    return h
  }
  let out: number[]
  if (scenario === 'open_close') {
    out = await measureRuns(
      runs,
      async () => {
        for (let i = 0; i < OPEN_CLOSE_BATCH; i++) await (await open()).connectClose()
      },
      OPEN_CLOSE_BATCH,
    )
  } else {
    const h = await open()
    if (scenario === 'seq_hostname') {
      out = await measureRuns(
        runs,
        async () => {
          for (let i = 0; i < CALLS; i++) await h.connectGetHostname()
        },
        CALLS / 1000,
      )
    } else if (scenario === 'parallel_hostname') {
      out = await measureRuns(runs, () =>
        Promise.all(Array.from({ length: CALLS }, () => h.connectGetHostname())),
      )
    } else if (scenario === 'list_states_loop') {
      out = await measureRuns(runs, async () => {
        const doms = await h.connectListAllDomains()
        for (const d of doms) {
          await h.domainGetName(d)
          await h.domainGetInfo(d)
        }
      })
    } else throw new Error(`unknown scenario ${scenario}`)
    await h.connectClose()
  }
  process.stdout.write(JSON.stringify({ runs: out }))
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`)
  process.exit(1)
})
