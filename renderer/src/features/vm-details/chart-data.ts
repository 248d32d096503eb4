import type uPlot from 'uplot'
import type { VmHistory } from '../../stores/stats/initial-state'
import { byteUnit, type Unit } from './units'

/** The rings of a history a chart can draw. */
export type SeriesField =
  'cpu' | 'memoryUsedKiB' | 'diskReadBps' | 'diskWriteBps' | 'netRxBps' | 'netTxBps'

/** How a chart's values read: a share, an amount of bytes, or bytes per second. */
export type ChartKind = 'percent' | 'bytes' | 'rate'

/** What a chart draws on one tick. */
export interface ChartSeries {
  /** uPlot's columns: seconds since the epoch, then one array per field, in the unit. */
  data: uPlot.AlignedData
  /** The unit the values are in (bytes and rates pick one to fit the largest value). */
  unit: Unit | undefined
  /** Each field's newest value in that unit; NaN before the first sample. */
  latest: number[]
}

/**
 * A history's samples as uPlot columns. Byte values are scaled to the unit that fits the
 * largest one, so the axis reads "300 KiB/s" rather than "307200".
 * @param toBytes what one stored unit is in bytes (1024 for KiB)
 * @param atLeast a value (in stored units) the unit must fit too, e.g. the axis top
 */
export function chartSeries(
  history: VmHistory | undefined,
  fields: readonly SeriesField[],
  kind: ChartKind,
  toBytes = 1,
  atLeast = 0,
): ChartSeries {
  if (!history || history.at.length === 0) {
    return {
      data: [[], ...fields.map(() => [])],
      unit: kind === 'percent' ? undefined : byteUnit(atLeast * toBytes),
      latest: fields.map(() => NaN),
    }
  }
  const xs = history.at.toArray().map((ms) => ms / 1000)
  const raw = fields.map((f) => history[f].toArray())
  let max = atLeast
  for (const ys of raw) for (const y of ys) if (y > max) max = y
  const unit = kind === 'percent' ? undefined : byteUnit(max * toBytes)
  const factor = unit ? toBytes / unit.divisor : 1
  const ys = factor === 1 ? raw : raw.map((col) => col.map((y) => y * factor))
  return { data: [xs, ...ys], unit, latest: ys.map((col) => col.at(-1) ?? NaN) }
}
