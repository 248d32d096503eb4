/** The bench's result table (plain text, fixed-width columns). */

/** One line of the table. */
export interface Row {
  name: string
  unit: string
  /** Our median. */
  ours?: number
  /** python3-libvirt's median. */
  python?: number
  /** The bound on ours / python (a ratio). */
  target?: number
  /** A bound on our value itself (e.g. MiB). */
  limit?: number
  /** @unraid/libvirt's median, where it ran. */
  unraid?: number | undefined
  note?: string
}

function num(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '-'
  if (Math.abs(v) >= 100) return v.toFixed(0)
  if (Math.abs(v) >= 10) return v.toFixed(1)
  return v.toFixed(2)
}

function verdict(r: Row): string {
  if (r.ours === undefined) return ''
  if (r.target !== undefined && r.python !== undefined) {
    return r.ours / r.python <= r.target ? 'ok' : 'MISS'
  }
  if (r.limit !== undefined) return r.ours < r.limit ? 'ok' : 'MISS'
  return ''
}

/** The table as text; `unraidSkip` explains an empty @unraid/libvirt column. */
export function formatTable(rows: readonly Row[], unraidSkip?: string): string {
  const header = [
    'scenario',
    'unit',
    'ours',
    'python',
    'ours/py',
    'target',
    '',
    'unraid',
    'unraid/py',
  ]
  const lines = rows.map((r) => {
    const ratio = r.ours !== undefined && r.python ? r.ours / r.python : undefined
    const uRatio = r.unraid !== undefined && r.python ? r.unraid / r.python : undefined
    const target =
      r.target !== undefined
        ? `<= ${r.target.toFixed(1)}x`
        : r.limit !== undefined
          ? `< ${r.limit}`
          : ''
    return [
      r.name,
      r.unit,
      num(r.ours),
      num(r.python),
      ratio === undefined ? '' : `${ratio.toFixed(2)}x`,
      target,
      verdict(r),
      num(r.unraid),
      uRatio === undefined ? '' : `${uRatio.toFixed(2)}x`,
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const fmt = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd()
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  ')]
  lines.forEach((l, i) => {
    out.push(fmt(l))
    const note = rows[i]?.note
    if (note) out.push(`    ${note}`)
  })
  if (unraidSkip) out.push('', `@unraid/libvirt skipped: ${unraidSkip}`)
  return out.join('\n')
}
