import { useTranslation } from 'react-i18next'
import { useStatsStore } from '../../stores/stats/store'
import { chartSeries } from './chart-data'
import { TimeChart, type ChartLine } from './TimeChart'

/** Props of {@link PerformanceTab}. */
export interface PerformanceTabProps {
  uuid: string
  running: boolean
  /** The guest's memory from its definition: the top of the memory chart until a tick says. */
  currentMemoryKiB: number
}

/** How much time the graphs span. */
const WINDOW_SECONDS = 300

/** Formats a chart value with up to one decimal. */
const num = (v: number) => (Number.isNaN(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1))

/**
 * Live graphs of CPU, memory, disk and network over the last five minutes, redrawn on every
 * stats tick from the stats store's rings (nothing is fetched here).
 */
export function PerformanceTab({ uuid, running, currentMemoryKiB }: PerformanceTabProps) {
  const { t } = useTranslation()
  useStatsStore((s) => s.tick)
  const history = useStatsStore.getState().byVm.get(uuid)
  if (!running && !history) {
    return <p className="muted">{t('details.perf.notRunning')}</p>
  }
  const lines = (a: string, b?: string): ChartLine[] =>
    b === undefined
      ? [{ label: a, color: 1 }]
      : [
          { label: a, color: 1 },
          { label: b, color: 2 },
        ]
  const cpu = chartSeries(history, ['cpu'], 'percent')
  // The balloon's current size from the newest tick; the definition's until the first one.
  const guestKiB = history?.last.memoryKiB || currentMemoryKiB
  const memory = chartSeries(history, ['memoryUsedKiB'], 'bytes', 1024, guestKiB)
  const disk = chartSeries(history, ['diskReadBps', 'diskWriteBps'], 'rate')
  const net = chartSeries(history, ['netRxBps', 'netTxBps'], 'rate')
  const memUnit = memory.unit!
  const guestTop = (guestKiB * 1024) / memUnit.divisor
  return (
    <div className="charts">
      <p className="muted charts-note">
        {t('details.perf.window', { minutes: WINDOW_SECONDS / 60 })}
      </p>
      <TimeChart
        testId="chart-cpu"
        title={t('details.perf.cpu')}
        axisLabel={t('details.perf.cpuAxis')}
        lines={lines(t('details.perf.cpuUsed'))}
        data={cpu.data}
        latest={cpu.latest.map((v) => `${num(v)} %`)}
        yMax={100}
        windowSeconds={WINDOW_SECONDS}
      />
      <TimeChart
        testId="chart-memory"
        title={t('details.perf.memory')}
        axisLabel={t('details.perf.memoryAxis', { unit: memUnit.name })}
        lines={lines(t('details.perf.memoryUsed'))}
        data={memory.data}
        latest={memory.latest.map((v) =>
          guestKiB > 0
            ? `${num(v)} / ${num(guestTop)} ${memUnit.name}`
            : `${num(v)} ${memUnit.name}`,
        )}
        {...(guestKiB > 0 && { yMax: guestTop })}
        windowSeconds={WINDOW_SECONDS}
      />
      <TimeChart
        testId="chart-disk"
        title={t('details.perf.disk')}
        axisLabel={t('details.perf.diskAxis', { unit: disk.unit!.name })}
        lines={lines(t('details.perf.read'), t('details.perf.write'))}
        data={disk.data}
        latest={disk.latest.map((v) => `${num(v)} ${disk.unit!.name}/s`)}
        windowSeconds={WINDOW_SECONDS}
      />
      <TimeChart
        testId="chart-net"
        title={t('details.perf.net')}
        axisLabel={t('details.perf.netAxis', { unit: net.unit!.name })}
        lines={lines(t('details.perf.received'), t('details.perf.sent'))}
        data={net.data}
        latest={net.latest.map((v) => `${num(v)} ${net.unit!.name}/s`)}
        windowSeconds={WINDOW_SECONDS}
      />
    </div>
  )
}
