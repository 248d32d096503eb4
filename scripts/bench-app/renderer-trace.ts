/**
 * Renderer scripting per stats tick, from a Chromium trace taken over CDP (Tracing domain).
 * On the renderer's main thread (CrRendererMain) each tick starts with a WebSocketReceive
 * event; the tick's window runs to the next one. Scripting in a window is the union (nested
 * events counted once) of the intervals of the events DevTools files under "Scripting":
 * function calls, microtasks, timers, animation-frame callbacks, event dispatch, compiling,
 * and the garbage collections they cause. Rendering (style, layout, paint, commit) is summed
 * the same way, for the notes.
 */
import type { CDPSession } from 'playwright-core'

/** The trace categories asked for. */
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  '__metadata',
]

/** Top-level script work as DevTools' timeline model names it. */
const SCRIPTING = new Set([
  'FunctionCall',
  'EvaluateScript',
  'RunMicrotasks',
  'v8.callFunction',
  'V8.Execute',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'EventDispatch',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'MinorGC',
  'MajorGC',
])
/** Rendering work after script: style, layout, paint and handing the frame over. */
const RENDERING = new Set([
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'HitTest',
])

/** Receives closer than this (µs) belong to one tick. */
const SAME_TICK_US = 200_000

/** A Chromium trace event, the fields used here. */
export interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  args?: { name?: string }
}

/** A running trace; `stop()` ends it and returns its events. */
export interface RunningTrace {
  stop(): Promise<TraceEvent[]>
}

/** Starts tracing the page behind `cdp`. */
export async function startTrace(cdp: CDPSession): Promise<RunningTrace> {
  const events: TraceEvent[] = []
  const onData = (e: { value: object[] }) => events.push(...(e.value as TraceEvent[]))
  cdp.on('Tracing.dataCollected', onData)
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: CATEGORIES },
    transferMode: 'ReportEvents',
  })
  return {
    stop: async () => {
      const complete = new Promise<void>((resolve) =>
        cdp.once('Tracing.tracingComplete', () => resolve()),
      )
      await cdp.send('Tracing.end')
      await complete
      cdp.off('Tracing.dataCollected', onData)
      return events
    },
  }
}

/** One tick as the renderer's main thread spent it, in ms. */
export interface TickCost {
  scripting: number
  rendering: number
}

/** Length of the union of [start, end) intervals (µs in, µs out). */
function unionLength(intervals: [number, number][]): number {
  intervals.sort((a, b) => a[0] - b[0])
  let total = 0
  let end = -Infinity
  for (const [s, e] of intervals) {
    if (e <= end) continue
    total += e - Math.max(s, end)
    end = e
  }
  return total
}

/**
 * Splits the renderer main thread's work into tick windows and sums each. The renderer's
 * main thread is the CrRendererMain with the most WebSocketReceive events (the page under
 * test; there is no other page). The last window is left out (it may be cut short).
 */
export function costPerTick(events: readonly TraceEvent[]): TickCost[] {
  const names = new Map<string, string>()
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '')
  }
  const receives = new Map<string, number[]>()
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`
    if (e.name === 'WebSocketReceive' && names.get(key) === 'CrRendererMain') {
      receives.set(key, [...(receives.get(key) ?? []), e.ts])
    }
  }
  const [thread, starts] = [...receives].sort((a, b) => b[1].length - a[1].length)[0] ?? []
  if (!thread || !starts) return []
  starts.sort((a, b) => a - b)
  // A message that arrives in several reads would show several receives close together.
  const ticks = starts.filter((t, i) => i === 0 || t - starts[i - 1]! > SAME_TICK_US)
  const windows = ticks.slice(0, -1).map((s, i) => [s, ticks[i + 1]!] as const)
  const scripting = windows.map(() => [] as [number, number][])
  const rendering = windows.map(() => [] as [number, number][])
  for (const e of events) {
    if (`${e.pid}:${e.tid}` !== thread || e.ph !== 'X' || e.dur === undefined) continue
    const into = SCRIPTING.has(e.name) ? scripting : RENDERING.has(e.name) ? rendering : undefined
    if (!into) continue
    // The window the event starts in (binary search over the window starts).
    let lo = 0
    let hi = windows.length - 1
    if (e.ts < windows[0]![0] || e.ts >= windows[hi]![1]) continue
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (windows[mid]![0] <= e.ts) lo = mid
      else hi = mid - 1
    }
    into[lo]!.push([e.ts, e.ts + e.dur])
  }
  return windows.map((_, i) => ({
    scripting: unionLength(scripting[i]!) / 1000,
    rendering: unionLength(rendering[i]!) / 1000,
  }))
}
