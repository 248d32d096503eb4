/** Tone of a badge: good (green), warn (amber), bad (red), neutral (grey). */
export type Tone = 'good' | 'warn' | 'bad' | 'neutral'

/** A small coloured label with a dot. */
export function StatusBadge({ tone, label }: { tone: Tone; label: string }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  )
}
