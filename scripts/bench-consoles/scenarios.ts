/**
 * The scenarios of `npm run bench:consoles`, run in this order. Each one sets up what it
 * needs (guests, servers, pages), measures ours against its anchor in the same run, and
 * returns table rows. To add one, write a Scenario in a file of its own and
 * append it to SCENARIOS.
 */
import type { Browser } from 'playwright-core'
import { serialScenario } from './serial'
import { vncScenario } from './vnc'

/** One line of the result table: our median against the anchor's, same run. */
export interface BenchRow {
  scenario: string
  metric: string
  unit: string
  ours: number
  /** The anchor's median (virsh console, websockify ...). */
  anchor: number
  anchorName: string
  /** Whether more is better (throughput) or less (latency). */
  higherIsBetter: boolean
  /** How it was measured, printed under the row. */
  method: string
}

/** What the runner hands every scenario. */
export interface BenchContext {
  /** Headless Chromium, shared by the scenarios (each opens its own pages). */
  browser(): Promise<Browser>
  /** Measured runs per side. */
  runs: number
  /** Prints a progress line. */
  log(line: string): void
}

/** A benchmark scenario. */
export interface Scenario {
  name: string
  /** One line for the header of its results. */
  description: string
  run(ctx: BenchContext): Promise<BenchRow[]>
}

/** Every scenario, in the order they run. */
export const SCENARIOS: Scenario[] = [serialScenario, vncScenario]
