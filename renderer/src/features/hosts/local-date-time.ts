const pad = (n: number) => String(n).padStart(2, '0')

/**
 * A moment as local date and time, `2026-01-31 14:05`, the same in every language. Built by
 * hand: the first Intl date format a page makes costs Chromium 50-120 ms (ICU loads its
 * pattern data), and the host panel is on the way to the first screen of VMs.
 */
export function formatLocalDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) return ''
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}`
}
