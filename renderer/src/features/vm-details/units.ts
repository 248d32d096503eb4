/** A unit to show a series in, and what to divide raw values by to get there. */
export interface Unit {
  /** B, KiB, MiB, GiB (a rate adds "/s" when it is labelled). */
  name: string
  divisor: number
}

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

/** The largest binary unit in which `maxBytes` is still at least 1 (B for 0 and below). */
export function byteUnit(maxBytes: number): Unit {
  let i = 0
  while (i < BINARY.length - 1 && maxBytes >= 1024 ** (i + 1)) i++
  return { name: BINARY[i]!, divisor: 1024 ** i }
}

/** Bytes for people: 0 B, 512 B, 1.5 KiB, 256 MiB, 2.0 GiB. */
export function formatBytes(bytes: number): string {
  const { name, divisor } = byteUnit(bytes)
  const v = bytes / divisor
  return `${divisor === 1 || v >= 100 ? Math.round(v) : v.toFixed(1)} ${name}`
}

/** KiB (libvirt's memory unit) for people. */
export const formatKiB = (kib: number): string => formatBytes(kib * 1024)
