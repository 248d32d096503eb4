/**
 * `npm run bench:native`: our client against python3-libvirt (and @unraid/libvirt where it
 * builds) on the same daemon in the same run. Prints the daemon settings, then a table of
 * medians over RUNS runs per side (after untimed warm-ups; ours and python's alternate)
 * and the ratio ours / python (lower is better). Needs the test host (npm run test-host:up).
 */
import { cpus, loadavg } from 'node:os'
import { testHost } from '../test/integration/test-host'
import { adminSettings, confSettings, startBenchDaemon } from './daemon'
import { echoFloor } from './echo'
import { openCloseFloor, pipelinedFloor, sequentialFloor } from './raw-floor'
import { alone, compare, median, RUNS, WARMUP_MS, WARMUPS, type Compared } from './measure'
import * as ours from './ours'
import { PythonBench } from './python'
import { formatTable, type Row } from './table'
import { prepareUnraid, runUnraid } from './unraid'

const ADMIN_SOCKET = '/var/run/libvirt/libvirt-admin-sock'

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const oursMedian = (c: Compared): number => median(c.ours)
const pyMedian = (c: Compared, pick: 'value' | 'call' | 'walk' = 'value'): number =>
  median(c.python.map((r) => r[pick] ?? NaN))

async function main(): Promise<void> {
  const host = testHost()
  if (!host.scaleXml) throw new Error('no test-driver file: run npm run test-host:up')
  const system: ours.Target = { socketPath: host.systemSocket, name: 'qemu:///system' }
  const systemUri = 'qemu:///system'
  const scale: ours.Target = { socketPath: host.systemSocket, name: `test://${host.scaleXml}` }
  const scaleUri = `test+unix://${host.scaleXml}`
  const started = await PythonBench.start()
  if (!started) throw new Error('/usr/bin/python3 cannot import libvirt (python3-libvirt)')
  const py = started.bench

  console.log('# native bench: ours vs python3-libvirt, same daemon, same run')
  console.log(
    `node ${process.version}, python3-libvirt ${started.version}, ${cpus().length} CPUs, ` +
      `load ${load()}; medians of ${RUNS} alternating runs per side after ${WARMUPS} warm-ups ` +
      `and at least ${WARMUP_MS} ms of them`,
  )
  if (loadavg()[0]! > cpus().length / 2) {
    console.log('WARNING: the host is busy (other tests running?); figures will be noisy')
  }
  console.log('daemon settings (system libvirtd):')
  for (const line of confSettings()) console.log(`  ${line}`)
  const live = await adminSettings(ADMIN_SOCKET).catch((e: unknown) => `admin socket: ${String(e)}`)
  console.log(`  live: ${live}`)

  const unraid = prepareUnraid()
  const unraidRun = async (scenario: string, uri: string): Promise<number | undefined> =>
    'dir' in unraid ? median(await runUnraid(unraid.dir, scenario, RUNS, uri)) : undefined

  const rows: Row[] = []
  const before = ours.activeResources()
  try {
    const oc = await compare(RUNS, () => ours.openClose(system), py, 'open_close', systemUri)
    rows.push({
      name: 'open + auth + close qemu:///system',
      unit: 'ms',
      ours: oursMedian(oc),
      python: pyMedian(oc),
      target: 1.0,
      unraid: await unraidRun('open_close', systemUri),
    })
    rows.push({
      name: '  floor: the same round trips, raw bytes on a net.Socket',
      unit: 'ms',
      ours: median(await alone(RUNS, () => openCloseFloor(system.socketPath, system.name))),
      note: 'AUTH_LIST, CONNECT_OPEN, CONNECT_CLOSE packed by hand; no client code',
    })

    const seq = await compare(
      RUNS,
      () => ours.sequential(system, 'libversion'),
      py,
      'seq_libversion',
      systemUri,
    )
    rows.push({
      name: '1,000 sequential connectGetLibVersion (per call)',
      unit: 'us',
      ours: oursMedian(seq),
      python: pyMedian(seq),
      target: 0.8,
    })
    rows.push({
      name: '  floor: the same calls, raw bytes on a net.Socket',
      unit: 'us',
      ours: median(await alone(RUNS, () => sequentialFloor(system.socketPath, system.name))),
      note: 'each packet written when the last reply is in; no client code',
    })
    rows.push({
      name: '  floor: raw unix-socket echo round trip, 28 B',
      unit: 'us',
      ours: median(await alone(RUNS, echoFloor)),
      note: 'node client -> node echo server in another process',
    })
    const host1 = await compare(
      RUNS,
      () => ours.sequential(system, 'hostname'),
      py,
      'seq_hostname',
      systemUri,
    )
    rows.push({
      name: '1,000 sequential connectGetHostname (per call)',
      unit: 'us',
      ours: oursMedian(host1),
      python: pyMedian(host1),
      unraid: await unraidRun('seq_hostname', systemUri),
      note: 'for @unraid/libvirt, which has no getLibVersion',
    })

    const pipe = await compare(RUNS, () => ours.pipelined(system), py, 'threaded', systemUri)
    rows.push({
      name: '1,000 calls at once (ours pipelined, python 8 threads)',
      unit: 'ms',
      ours: oursMedian(pipe),
      python: pyMedian(pipe),
      target: 0.5,
      note: 'system daemon, max_client_requests as above',
    })
    rows.push({
      name: '  floor: the same 1,000 packets, raw bytes on a net.Socket',
      unit: 'ms',
      ours: median(await alone(RUNS, () => pipelinedFloor(system.socketPath, system.name))),
      note: 'written at once, replies counted; no client code',
    })
    const priv = await startBenchDaemon()
    if (typeof priv === 'string') {
      rows.push({
        name: '  same, max_client_requests raised',
        unit: 'ms',
        note: `skipped: ${priv}`,
      })
    } else {
      try {
        const t: ours.Target = { socketPath: priv.socketPath, name: 'test:///default' }
        const uri = `test+unix:///default?socket=${priv.socketPath}`
        const raised = await compare(RUNS, () => ours.pipelined(t), py, 'threaded', uri)
        rows.push({
          name: '  same, max_client_requests = 1000',
          unit: 'ms',
          ours: oursMedian(raised),
          python: pyMedian(raised),
          target: 0.5,
          note: `private libvirtd as nobody (${priv.settings}), test:///default`,
        })
        rows.push({
          name: '  floor: the same 1,000 packets, raw bytes',
          unit: 'ms',
          ours: median(await alone(RUNS, () => pipelinedFloor(t.socketPath, t.name))),
          note: 'on the private daemon',
        })
      } finally {
        await priv.stop()
      }
    }

    const list = await compare(RUNS, () => ours.listStates(scale), py, 'list_states_loop', scaleUri)
    rows.push({
      name: `list ${list.scenario.domains} domains + states vs python state() loop`,
      unit: 'ms',
      ours: oursMedian(list),
      python: pyMedian(list),
      target: 0.2,
      unraid: await unraidRun('list_states_loop', scaleUri),
      note: 'ours: list + one bulk STATE call, sent together; unraid: list + domainGetInfo loop',
    })
    const bulkList = await compare(
      RUNS,
      () => ours.listStates(scale),
      py,
      'list_states_bulk',
      scaleUri,
    )
    rows.push({
      name: '  same vs python list + bulk getAllDomainStats(STATE)',
      unit: 'ms',
      ours: oursMedian(bulkList),
      python: pyMedian(bulkList),
    })

    const stats = await compare(RUNS, () => ours.bulkStats(scale), py, 'bulk_stats', scaleUri)
    rows.push({
      name: `bulk stats ${stats.scenario.domains} domains, call + decode/walk`,
      unit: 'ms',
      ours: oursMedian(stats),
      python: pyMedian(stats),
      target: 1.0,
      note:
        `python: call ${pyMedian(stats, 'call').toFixed(2)} + walk ` +
        `${pyMedian(stats, 'walk').toFixed(2)} ms; test driver: state group only`,
    })
  } finally {
    py.stop()
  }

  const mem = await ours.rssGrowth(system, 100_000)
  rows.push({
    name: 'RSS growth over 100,000 calls',
    unit: 'MiB',
    ours: mem.rssMiB,
    limit: 5,
    note:
      `heap ${mem.heapMiB >= 0 ? '+' : ''}${mem.heapMiB.toFixed(2)} MiB; ` +
      `${(mem.ms / 1000).toFixed(1)} s, 100 in flight at a time`,
  })
  const left = await ours.leftoversAfterClose(system)
  await new Promise((r) => setTimeout(r, 100))
  const extra = ours.resourceDiff(before, ours.activeResources())
  rows.push({
    name: 'handles/timers/listeners left after close',
    unit: '',
    note: left || extra ? `LEFT: ${[left, extra].filter(Boolean).join('; ')}` : 'none (ok)',
  })

  console.log('')
  console.log(`load at the end: ${load()}`)
  console.log(formatTable(rows, 'dir' in unraid ? undefined : unraid.skip))
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
