import type { BenchRow } from './scenarios'

function num(v: number): string {
  if (Number.isNaN(v)) return '-'
  if (Math.abs(v) >= 100) return v.toFixed(0)
  if (Math.abs(v) >= 10) return v.toFixed(1)
  return v.toFixed(3)
}

/** The results as a fixed-width table, each row followed by how it was measured. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['scenario', 'metric', 'unit', 'ours', 'anchor', 'anchor value', 'ours/anchor']
  const cells = rows.map((r) => [
    r.scenario,
    r.metric,
    r.unit,
    num(r.ours),
    r.anchorName,
    num(r.anchor),
    `${num(r.ours / r.anchor)} (${r.higherIsBetter ? 'higher' : 'lower'} is better)`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ')
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')]
  rows.forEach((r, i) => {
    out.push(line(cells[i]!))
    out.push(`    ${r.method}`)
  })
  return out.join('\n')
}
