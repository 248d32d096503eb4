/**
 * Where the time goes: CPU profiles (V8's format, from Chromium's or Node's Profiler
 * domain) summed per function, with positions mapped back to the source files through the
 * build's source maps.
 */
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ROOT } from './web-app'

/** A V8 CPU profile (Profiler.stop's `profile`). */
export interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
    children?: number[]
  }[]
  samples: number[]
  timeDeltas: number[]
}

/** One function's share of a profile, in ms. */
export interface FunctionCost {
  /** "name (file:line)", mapped to the source where a source map knows it. */
  where: string
  self: number
  total: number
}

/** Finds the source map of a script URL (file:// or http://) or returns undefined. */
export type MapFinder = (url: string) => SourceMap | undefined

/** A MapFinder reading `<file>.map` next to the file each URL resolves to. */
export function mapsBeside(resolve: (url: string) => string | undefined): MapFinder {
  const cache = new Map<string, SourceMap | undefined>()
  return (url) => {
    if (!cache.has(url)) {
      const file = resolve(url)
      const mapFile = file && `${file}.map`
      cache.set(
        url,
        mapFile && existsSync(mapFile)
          ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as never)
          : undefined,
      )
    }
    return cache.get(url)
  }
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)'])

function describe(frame: CpuProfile['nodes'][number]['callFrame'], maps: MapFinder): string {
  const name = frame.functionName || '(anonymous)'
  if (IDLE.has(name) || name === '(root)') return name
  if (!frame.url) return name
  const map = maps(frame.url)
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as
    { originalSource?: string; originalLine?: number } | undefined
  if (entry?.originalSource) {
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : entry.originalSource
    const shown = source.includes('node_modules')
      ? source.slice(source.lastIndexOf('node_modules'))
      : relative(ROOT, source.replace(/^(\.\.\/)+/, `${ROOT}/`))
    return `${name} (${shown}:${(entry.originalLine ?? 0) + 1})`
  }
  const file = frame.url.replace(/^.*\//, '')
  return `${name} (${file}:${frame.lineNumber + 1})`
}

/**
 * Self and total time per function over the whole profile, largest self time first.
 * Idle and "(program)" (the engine outside JS) are kept so the shares add up; garbage
 * collection shows as "(garbage collector)".
 */
export function costsByFunction(profile: CpuProfile, maps: MapFinder): FunctionCost[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const label = new Map(profile.nodes.map((n) => [n.id, describe(n.callFrame, maps)]))
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    // A sample's time is the gap to the next one (V8 records the gap before each sample).
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000
    const own = label.get(id) ?? '?'
    self.set(own, (self.get(own) ?? 0) + ms)
    const seen = new Set<string>()
    for (let n: number | undefined = id; n !== undefined && byId.has(n); n = parent.get(n)) {
      const l = label.get(n)!
      if (seen.has(l)) continue
      seen.add(l)
      total.set(l, (total.get(l) ?? 0) + ms)
    }
  })
  return [...self]
    .map(([where, s]) => ({ where, self: s, total: total.get(where) ?? s }))
    .sort((a, b) => b.self - a.self)
}

/** The biggest costs as table lines, `per` dividing every figure (e.g. ms per tick). */
export function formatCosts(costs: readonly FunctionCost[], per: number, top = 12): string[] {
  const busy = costs.filter((c) => c.where !== '(idle)' && c.where !== '(root)')
  const shown = busy.slice(0, top)
  const sum = busy.reduce((n, c) => n + c.self, 0) / per
  return [
    `      busy (all but idle) ${sum.toFixed(2)} ms; self ms, total ms, function (source):`,
    ...shown.map(
      (c) =>
        `      ${(c.self / per).toFixed(2).padStart(7)} ${(c.total / per).toFixed(2).padStart(8)}  ${c.where}`,
    ),
  ]
}
