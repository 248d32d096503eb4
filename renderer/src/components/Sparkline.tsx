/** A tiny line of recent values (0-100) for a table cell. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const width = 60
  const height = 16
  if (values.length < 2) return <svg width={width} height={height} aria-hidden="true" />
  const step = width / (values.length - 1)
  const points = values
    .map(
      (v, i) =>
        `${(i * step).toFixed(1)},${(height - (Math.min(100, v) / 100) * height).toFixed(1)}`,
    )
    .join(' ')
  return (
    <svg width={width} height={height} className="sparkline" role="img" aria-label={label}>
      <polyline points={points} fill="none" strokeWidth="1.5" />
    </svg>
  )
}
