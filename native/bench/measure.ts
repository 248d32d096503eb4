/** Timing helpers of the native bench: alternating runs, medians. */
import type { PythonBench, PythonRun } from './python'
import type { Scenario } from './ours'

/** Measured runs per scenario and side (the issue asks for at least 9). */
export const RUNS = 11
/** Untimed runs per scenario and side first (JIT, caches, the daemon's worker threads). */
export const WARMUPS = 3
/**
 * ...and at least this long: V8 optimises a function only after many calls, and a client
 * that opens 30 connections has not got there yet (0.86 ms per open+close after 30, 0.71
 * after 1,000). A running app is warm; so is python's C from the start.
 */
export const WARMUP_MS = 1500

/** Runs `run` untimed WARMUPS times and for at least WARMUP_MS. */
async function warmUp(run: () => Promise<unknown>): Promise<void> {
  const until = performance.now() + WARMUP_MS
  for (let i = 0; i < WARMUPS || performance.now() < until; i++) await run()
}

/** The median of the values (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Both sides' runs of one scenario. */
export interface Compared {
  ours: number[]
  python: PythonRun[]
  /** Our scenario after the runs (for its `domains`). */
  scenario: Scenario
}

/**
 * Sets up our scenario and python's, warms each up (see WARMUP_MS), then alternates
 * ours / python `runs` times, so that both see the same load on a shared machine.
 */
export async function compare(
  runs: number,
  ours: () => Promise<Scenario>,
  python: PythonBench,
  pyScenario: string,
  pyUri: string,
): Promise<Compared> {
  const scenario = await ours()
  await python.setup(pyScenario, pyUri)
  try {
    await warmUp(() => scenario.run())
    await warmUp(() => python.run())
    const out: Compared = { ours: [], python: [], scenario }
    for (let i = 0; i < runs; i++) {
      out.ours.push(await scenario.run())
      out.python.push(await python.run())
    }
    return out
  } finally {
    await scenario.close()
    await python.teardown()
  }
}

/** Our runs alone (no python counterpart), after WARMUPS untimed runs. */
export async function alone(runs: number, ours: () => Promise<Scenario>): Promise<number[]> {
  const scenario = await ours()
  try {
    await warmUp(() => scenario.run())
    const out: number[] = []
    for (let i = 0; i < runs; i++) out.push(await scenario.run())
    return out
  } finally {
    await scenario.close()
  }
}
