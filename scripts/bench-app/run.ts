/**
 * `npm run bench:app`: the app's performance in web mode (node main + Debian's Chromium)
 * against the test host, side by side with virsh and python3-libvirt, in one run:
 *   1. page load to 1,000 rows painted vs `virsh list --all`
 *   2. one stats tick for 1,000 VMs: main CPU and renderer scripting
 *   3. a tick over the running QEMU guests with every stats group, per VM
 *   4. main and renderer memory over BENCH_APP_MINUTES (default 10) of ticks
 * BENCH_APP_ONLY=load,tick,qemu,memory runs some of them (to look into one).
 * Prints the daemon settings, then a table (scenario, unit, ours, anchor, ratio, target,
 * ok/MISS) with the method under each row. Where a target is missed, profiles say where the
 * time goes (BENCH_APP_PROFILE=auto|always|never). Needs the test host (npm run test-host:up).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { ConnectGetAllDomainStatsFlags, DomainStatsTypes } from '../../native/src/index'
import { adminSettings, confSettings } from '../../native/bench/daemon'
import { median, RUNS, WARMUPS } from '../../native/bench/measure'
import { CHROMIUM, launchBrowser } from '../../e2e/fixtures/browser'
import { readTestHost, type TestHost } from '../../e2e/fixtures/test-host'
import { pythonLibvirtVersion, pythonStats } from './anchors'
import { domainState, startGuests, type StartedGuests } from './guests'
import { processesMatching } from './proc'
import { profilePageLoad, profileTicks } from './profiling'
import { listScenario } from './scenario-list'
import { memoryScenario, type MemorySample } from './scenario-memory'
import { qemuMedians, qemuScenario } from './scenario-qemu'
import { TICK_MS, TICKS_PER_WINDOW, tickScenario } from './scenario-tick'
import { formatTable, verdict, type Row } from './table'
import { buildSnapshot, stopAllWebApps, WORK_DIR, type BenchHost } from './web-app'

/** The stats groups of electron/main/services/vms/stats-poller.ts (GROUPS). */
const POLLER_GROUPS =
  DomainStatsTypes.CPU_TOTAL |
  DomainStatsTypes.BALLOON |
  DomainStatsTypes.VCPU |
  DomainStatsTypes.INTERFACE |
  DomainStatsTypes.BLOCK
/** The memory figures scenario 4 holds to the 5 % growth target. */
type GrowthKey = keyof Pick<MemorySample, 'mainRss' | 'mainHeap' | 'pageHeap' | 'rendererRss'>

/** Where the bench writes its own copy of the test driver file with every domain running. */
const RUNNING_FILE = '/var/tmp/virtdeck-bench/app/scale-running.xml'

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`
const pct = (from: number, to: number) => ((to - from) / from) * 100
const f1 = (v: number) => v.toFixed(1)
const f2 = (v: number) => v.toFixed(2)
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`)

function benchMinutes(): number {
  const raw = process.env.BENCH_APP_MINUTES ?? '10'
  const minutes = Number(raw)
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 240) {
    throw new Error(`BENCH_APP_MINUTES must be a number of minutes above 0 (got "${raw}")`)
  }
  return minutes
}

/** Runs per side (BENCH_APP_RUNS, default RUNS of the native bench; fewer only to debug). */
function benchRuns(): number {
  const raw = process.env.BENCH_APP_RUNS ?? String(RUNS)
  const runs = Number(raw)
  if (!Number.isInteger(runs) || runs < 1) {
    throw new Error(`BENCH_APP_RUNS must be a whole number above 0 (got "${raw}")`)
  }
  return runs
}

const SCENARIOS = ['load', 'tick', 'qemu', 'memory'] as const
type Scenario = (typeof SCENARIOS)[number]

/** The scenarios to run (BENCH_APP_ONLY=load,tick,qemu,memory; all when unset). */
function benchOnly(): Set<Scenario> {
  const raw = process.env.BENCH_APP_ONLY
  if (!raw) return new Set(SCENARIOS)
  const names = raw.split(',').map((n) => n.trim())
  const bad = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n))
  if (bad.length) {
    throw new Error(`BENCH_APP_ONLY takes ${SCENARIOS.join(', ')} (got "${bad.join(', ')}")`)
  }
  return new Set(names as Scenario[])
}

function profileMode(): 'auto' | 'always' | 'never' {
  const raw = process.env.BENCH_APP_PROFILE ?? 'auto'
  if (raw !== 'auto' && raw !== 'always' && raw !== 'never') {
    throw new Error(`BENCH_APP_PROFILE must be auto, always or never (got "${raw}")`)
  }
  return raw
}

/** host.json, with the fields the e2e fixture's type leaves out. */
type BenchTestHost = TestHost & {
  libvirtVersion?: string
  system: { adminSocket?: string }
  testDriver: { runningCount?: number }
}

/** The test driver file with every domain running (the shared one runs only half). */
function writeRunningFile(shared: string): number {
  const xml = readFileSync(shared, 'utf8').replace(/\s*<test:runstate>\d+<\/test:runstate>/g, '')
  mkdirSync(join(RUNNING_FILE, '..'), { recursive: true })
  writeFileSync(RUNNING_FILE, xml)
  return (xml.match(/<domain /g) ?? []).length
}

/** Versions, load, run counts, the daemon's settings and the test-driver files. */
async function printHeader(
  host: BenchTestHost,
  runs: number,
  minutes: number,
  runningCount: number,
): Promise<void> {
  console.log('# app bench: web mode (node main + Chromium) vs virsh / python3-libvirt')
  console.log(
    `node ${process.version}, python3-libvirt ${pythonLibvirtVersion()}, libvirt ` +
      `${host.libvirtVersion ?? '?'}, ${cpus().length} CPUs, load ${load()}`,
  )
  console.log(
    `medians of ${runs} runs per side after ${WARMUPS} warm-ups (scenarios 1, 3), ` +
      `${runs} windows of ${TICKS_PER_WINDOW} ticks (scenario 2); memory over ${minutes} min`,
  )
  if (runs < 9) console.log(`WARNING: BENCH_APP_RUNS=${runs}: fewer than 9, to debug only`)
  if (loadavg()[0]! > cpus().length / 2) {
    console.log('WARNING: the host is busy (other tests running?); figures will be noisy')
  }
  console.log('daemon settings (system libvirtd, which also serves the test driver):')
  for (const line of confSettings()) console.log(`  ${line}`)
  const adminSocket = host.system.adminSocket ?? '/var/run/libvirt/libvirt-admin-sock'
  const live = await adminSettings(adminSocket).catch((e: unknown) => `admin socket: ${String(e)}`)
  console.log(`  live: ${live}`)
  const running = host.testDriver.runningCount ?? '?'
  console.log(
    `test driver: ${host.testDriver.uri} (${host.testDriver.domainCount} domains, ${running} running)`,
  )
  console.log(`             test+unix://${RUNNING_FILE} (the same ${runningCount}, all running)`)
  console.log('')
}

async function main(): Promise<void> {
  const minutes = benchMinutes()
  const profiling = profileMode()
  const host = readTestHost() as BenchTestHost
  const expected = host.testDriver.domainCount
  const scaleHost: BenchHost = { name: 'bench-scale', uri: host.testDriver.uri }
  const runningCount = writeRunningFile(host.testDriver.file)
  const runningHost: BenchHost = { name: 'bench-all-running', uri: `test+unix://${RUNNING_FILE}` }
  const runs = benchRuns()
  const only = benchOnly()

  await printHeader(host, runs, minutes, runningCount)
  log('building the app (scripts/build.mjs) and taking a snapshot of out/')
  buildSnapshot()
  const browser = await launchBrowser()
  let guests: StartedGuests | undefined
  const cleanup = async () => {
    await browser.close().catch(() => {})
    await stopAllWebApps()
    const left = guests?.restore() ?? []
    for (const p of left) console.error(`could not put a guest back: ${p}`)
  }
  const onSignal = () => void cleanup().then(() => process.exit(130))
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  const rows: Row[] = []
  const profiles: string[] = []
  try {
    log(`Chromium ${browser.version()} (${CHROMIUM}), headless`)
    if (only.has('load')) {
      log(`1/4 page load to ${expected} rows painted, ${WARMUPS + runs} warm + cold loads`)
      const list = await listScenario(browser, scaleHost, expected, runs, WARMUPS)
      const virsh = median(list.virsh)
      const d = list.warmDetail
      rows.push({
        name: `1. page load -> ${expected} rows painted`,
        unit: 'ms',
        ours: median(list.warm),
        anchor: virsh,
        target: { ratio: 1.0 },
        notes: [
          `web mode running and connected; fresh Chromium context per load; performance.now()`,
          `from navigation start, in the page. Probe medians: host in the sidebar, clicked`,
          `${f1(d.clickedAt)}; count ${expected} of ${expected} with rows in the DOM ${f1(d.conditionAt)};`,
          `next animation frame, first screen of rows filled ${f1(d.frameAt)} (the figure); main`,
          `thread free after that frame ${f1(d.afterFrameAt)} (waits for queued work too, e.g. a`,
          `stats tick). ${list.rows} rows in the DOM (virtualized). Anchor: virsh -c ${scaleHost.uri}`,
          `list --all, spawn to exit (it opens the connection: the daemon parses the file each time).`,
        ],
      })
      rows.push({
        name: `   same, cold: node web.mjs spawned per run`,
        unit: 'ms',
        ours: median(list.cold),
        anchor: virsh,
        notes: [
          'wall clock from spawning web.mjs (main opens the libvirt connection) to the frame;',
          'informative (no target): it includes node start-up and the URL hand-over.',
          ...(list.problems.length
            ? [`page problems: ${[...new Set(list.problems)].join('; ')}`]
            : []),
        ],
      })
    }
    if (only.has('tick')) {
      log(
        `2/4 stats ticks for ${runningCount} running VMs (about ${2 * runs * TICKS_PER_WINDOW + 20} s)`,
      )
      const t = await tickScenario(browser, runningHost, runningCount, runs)
      const py = pythonStats(
        runningHost.uri,
        POLLER_GROUPS,
        ConnectGetAllDomainStatsFlags.ACTIVE,
        runs,
        TICKS_PER_WINDOW,
      )
      const scripting = t.renderer.map((c) => c.scripting)
      const sortedScripting = [...scripting].sort((a, b) => a - b)
      const p90 = sortedScripting[Math.floor(sortedScripting.length * 0.9)] ?? NaN
      rows.push({
        name: `2. stats tick, ${runningCount} VMs: main CPU`,
        unit: 'ms',
        ours: t.mainPerTick,
        anchor: median(py.cpu),
        target: { max: 20 },
        notes: [
          `web.mjs process CPU (sum of /proc/PID/task/*/schedstat) per ${TICKS_PER_WINDOW}-tick window`,
          `with the page open: median ${f1(median(t.active))} ms; same windows with the host`,
          `disconnected (no ticks): median ${f1(median(t.idle))} ms; difference / ${TICKS_PER_WINDOW}.`,
          `Cross-check, /proc/PID/stat utime+stime over both phases: ${f2(t.statPerTick)} ms/tick.`,
          `Anchor: python3-libvirt getAllDomainStats(poller's groups, ACTIVE) + walk, process CPU`,
          `per call (${py.domains} VMs; wall ${f2(median(py.wall))} ms). Test driver: state only.`,
        ],
      })
      rows.push({
        name: `   renderer scripting`,
        unit: 'ms',
        ours: median(scripting),
        target: { max: 16 },
        notes: [
          `Chromium trace (CDP Tracing) over the same windows, CrRendererMain: union of script`,
          `events (FunctionCall, RunMicrotasks, TimerFire, rAF, GC ...) per window between two`,
          `WebSocketReceive; median of ${scripting.length} ticks, p90 ${f2(p90)}; style/layout/paint`,
          `${f2(median(t.renderer.map((c) => c.rendering)))} ms/tick. No anchor (no other UI).`,
          ...(t.problems.length ? [`page problems: ${[...new Set(t.problems)].join('; ')}`] : []),
        ],
      })
    }
    if (only.has('qemu')) {
      log('3/4 QEMU guests on qemu:///system, every stats group')
      const guestNames = [host.domains.vnc, host.domains.linux]
      guests = startGuests(host.system.uri, guestNames)
      await new Promise((r) => setTimeout(r, 2000))
      try {
        const running = guestNames.filter((n) => domainState(host.system.uri, n) === 'running')
        const guestNotes = [
          `Started for this run and stopped after: ${guests.started.join(', ') || 'none'}.`,
          ...guests.failed.map((f) => `could not start ${f}`),
        ]
        if (running.length === 0) {
          rows.push({
            name: '3. QEMU tick: skipped, no guest running',
            unit: '',
            notes: guestNotes,
          })
        } else {
          const q = await qemuScenario(host.system.socket, host.system.uri, running, runs, WARMUPS)
          const m = qemuMedians(q)
          rows.push({
            name: `3. QEMU tick, all stats groups, ${q.vms} VMs: wall`,
            unit: 'ms/VM',
            ours: m.oursWall,
            anchor: m.pyWall,
            notes: [
              `${running.join(', ')}: ours, the poller's tick in-process (native getDomainStats of`,
              `these domains, groups 0 = all, + countersOf/ratesOf of stats-rates.ts); python:`,
              `domainListGetStats(same, 0) + the same walk (${q.pyVms} VMs). 10 ticks per run.`,
              `No target in the issue; the wall time is mostly the daemon asking QEMU.`,
              ...guestNotes,
              ...q.retried.map((r) => `run repeated (a guest went away under it): ${r}`),
            ],
          })
          rows.push({
            name: `   same: client CPU`,
            unit: 'ms/VM',
            ours: m.oursCpu,
            anchor: m.pyCpu,
            notes: ['process CPU (ours: process.cpuUsage; python: time.process_time); no target'],
          })
        }
      } finally {
        const problems = guests.restore()
        for (const p of problems) console.error(`could not put a guest back: ${p}`)
      }
    }
    if (only.has('memory')) {
      log(`4/4 memory over ${minutes} min of ticks for ${runningCount} VMs`)
      const mem = await memoryScenario(browser, runningHost, runningCount, minutes, 60_000, (s) =>
        log(
          `    ${f1(s.atMs / 60_000)} min: main RSS ${mib(s.mainRss)}, heap ${mib(s.mainHeap)}, ` +
            `external ${mib(s.mainExternal)} (ArrayBuffers ${mib(s.mainBuffers)}); ` +
            `page JS heap ${mib(s.pageHeap)}, ArrayBuffers ${mib(s.pageBuffers)}; ` +
            `renderer RSS ${mib(s.rendererRss)}`,
        ),
      )
      const b = mem.baseline
      const e = mem.last
      const span = `${f1(b.atMs / 60_000)} -> ${f1(e.atMs / 60_000)} min`
      /** A growth row: the last sample against the baseline, at most 5 %. */
      const growth = (name: string, key: GrowthKey, notes: string[]): Row => ({
        name,
        unit: '%',
        ours: pct(b[key], e[key]),
        target: { maxPct: 5 },
        notes: [`${mib(b[key])} -> ${mib(e[key])} ${notes[0]}`, ...notes.slice(1)],
      })
      rows.push(
        growth(`4. memory, ${f1(minutes)} min: main RSS growth`, 'mainRss', [
          `(${span}), /proc/PID/status VmRSS after forced GC`,
          `(HeapProfiler.collectGarbage through node --inspect); page open, ${runningCount} VMs ticking`,
        ]),
        growth('   main V8 heap growth', 'mainHeap', [
          '(Runtime.getHeapUsage after GC); outside it',
          `${mib(b.mainExternal)} -> ${mib(e.mainExternal)} (process.memoryUsage().external)`,
        ]),
        growth('   renderer JS heap growth', 'pageHeap', [
          '(CDP Performance.getMetrics JSHeapUsedSize after',
          `HeapProfiler.collectGarbage); samples: ${mem.samples
            .map((s) => `${f1(s.atMs / 60_000)}m ${mib(s.pageHeap)}`)
            .join(', ')}`,
          `ArrayBuffers (typed arrays, outside that heap): ${mib(b.pageBuffers)} -> ` +
            `${mib(e.pageBuffers)} (Runtime.getHeapUsage backingStorageSize)`,
          ...(mem.problems.length
            ? [`page problems: ${[...new Set(mem.problems)].join('; ')}`]
            : []),
        ]),
        growth('   renderer process RSS growth', 'rendererRss', [
          "(/proc VmRSS of the browser's renderer",
          'processes, from SystemInfo.getProcessInfo; one page open), after the same GCs',
        ]),
      )
    }

    const missed = (prefix: string) =>
      rows.some((r) => r.name.startsWith(prefix) && verdict(r) === 'MISS')
    if (profiling === 'always' || (profiling === 'auto' && missed('1.'))) {
      log('profiling a page load (unminified renderer with source maps)')
      profiles.push(`page load (CDP Profiler, one load, ms):`)
      profiles.push(...(await profilePageLoad(browser, scaleHost, expected)))
    }
    const tickMissed = rows.some(
      (r) =>
        (r.name.startsWith('2.') || r.name.includes('renderer scripting')) && verdict(r) === 'MISS',
    )
    if (profiling === 'always' || (profiling === 'auto' && tickMissed)) {
      const ticks = 10
      log(`profiling ${ticks} stats ticks (main: node inspector; page: CDP Profiler)`)
      const p = await profileTicks(browser, runningHost, runningCount, ticks)
      profiles.push(`main process, per tick (${ticks} ticks, ${runningCount} VMs, ms):`, ...p.main)
      profiles.push(`renderer, per tick (ms):`, ...p.renderer)
    }
  } finally {
    await cleanup()
  }

  console.log('')
  console.log(`load at the end: ${load()}; stats tick ${TICK_MS} ms`)
  console.log(formatTable(rows))
  if (profiles.length) {
    console.log('')
    const why = profiling === 'auto' ? ': taken for the missed targets' : ''
    console.log(`Where the time goes (BENCH_APP_PROFILE=${profiling}${why}):`)
    for (const line of profiles) console.log(`  ${line}`)
  }
  const left = processesMatching(new RegExp(WORK_DIR.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
  console.log('')
  console.log(`processes left behind: ${left.length ? left.join(', ') : 'none'}`)
}

main().catch(async (err: unknown) => {
  console.error(err)
  await stopAllWebApps()
  process.exit(1)
})
