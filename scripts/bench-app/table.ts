/** The bench's result table: scenario, unit, ours, anchor, ratio, target, ok/MISS. */

/** A row's bound: on ours / anchor, on ours itself, or on a growth in percent. */
export type Target = { ratio: number } | { max: number } | { maxPct: number }

/** One line of the table. */
export interface Row {
  name: string
  unit: string
  ours?: number | undefined
  anchor?: number | undefined
  target?: Target
  /** Printed under the row (method, anchor, extra figures). */
  notes?: string[]
}

function num(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '-'
  if (Math.abs(v) >= 100) return v.toFixed(0)
  if (Math.abs(v) >= 10) return v.toFixed(1)
  return v.toFixed(2)
}

/** ok, MISS, or '' when the row has no target or no figure. */
export function verdict(r: Row): '' | 'ok' | 'MISS' {
  if (r.ours === undefined || Number.isNaN(r.ours) || !r.target) return ''
  if ('ratio' in r.target) {
    if (!r.anchor) return ''
    return r.ours / r.anchor <= r.target.ratio ? 'ok' : 'MISS'
  }
  if ('max' in r.target) return r.ours <= r.target.max ? 'ok' : 'MISS'
  return r.ours <= r.target.maxPct ? 'ok' : 'MISS'
}

function targetText(t: Target | undefined, unit: string): string {
  if (!t) return ''
  if ('ratio' in t) return `<= ${t.ratio.toFixed(1)}x`
  if ('max' in t) return `<= ${t.max} ${unit}`
  return `<= ${t.maxPct}%`
}

/** The table as text, notes indented under their rows. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['scenario', 'unit', 'ours', 'anchor', 'ratio', 'target', 'ok/MISS']
  const cells = rows.map((r) => [
    r.name,
    r.unit,
    num(r.ours),
    num(r.anchor),
    r.ours !== undefined && r.anchor ? `${(r.ours / r.anchor).toFixed(2)}x` : '',
    targetText(r.target, r.unit),
    verdict(r),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const fmt = (c: string[]) =>
    c
      .map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)))
      .join('  ')
      .trimEnd()
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  ')]
  cells.forEach((c, i) => {
    out.push(fmt(c))
    for (const note of rows[i]?.notes ?? []) out.push(`    ${note}`)
  })
  return out.join('\n')
}
