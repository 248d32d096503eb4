/**
 * `npm run bench:consoles`: the consoles' throughput and latency against their anchors on
 * the same guest in the same run (see README.md). Needs the test host (npm run test-host:up).
 *
 *   npm run bench:consoles                   # every scenario
 *   npm run bench:consoles -- --only serial  # one of them
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../../e2e/fixtures/browser'
import { formatTable } from './table'
import { SCENARIOS, type BenchContext, type BenchRow } from './scenarios'

const OUT_DIR = fileURLToPath(new URL('../../test-results/bench/', import.meta.url))

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string', multiple: true } } })
  const only = values.only ?? []
  const unknown = only.filter((n) => !SCENARIOS.some((s) => s.name === n))
  if (unknown.length > 0) {
    const names = SCENARIOS.map((s) => s.name).join(', ')
    throw new Error(`no scenario ${unknown.join(', ')} (there are: ${names})`)
  }
  const chosen = SCENARIOS.filter((s) => only.length === 0 || only.includes(s.name))
  const runs = Number(process.env.BENCH_CONSOLES_RUNS ?? 3)
  let browser: Promise<Browser> | undefined
  const ctx: BenchContext = {
    browser: () => (browser ??= launchBrowser()),
    runs,
    log: (line) => console.log(`  … ${line}`),
  }
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')
  console.log('# consoles bench: ours vs the usual tools, same guest, same run')
  console.log(
    `node ${process.version}, ${cpus().length} CPUs, load ${load()}; medians of ${runs} runs`,
  )
  if (loadavg()[0]! > cpus().length / 2) {
    console.log('WARNING: the host is busy (other tests running?); figures will be noisy')
  }
  const rows: BenchRow[] = []
  try {
    for (const scenario of chosen) {
      console.log(`\n## ${scenario.name}: ${scenario.description}`)
      rows.push(...(await scenario.run(ctx)))
    }
  } finally {
    if (browser) await (await browser).close()
  }
  console.log(`\n${formatTable(rows)}`)
  console.log(`load at the end: ${load()}`)
  mkdirSync(OUT_DIR, { recursive: true })
  const file = join(OUT_DIR, 'consoles.json')
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), runs, rows }, null, 2))
  console.log(`results: ${file}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
