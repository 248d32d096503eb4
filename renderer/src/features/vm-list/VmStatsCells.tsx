import type { RowLabels } from './row-labels'
import { Sparkline } from '../../components/Sparkline'
import { SPARKLINE_SAMPLES } from '../../stores/stats/initial-state'
import { useStatsStore } from '../../stores/stats/store'

/** Formats KiB for people: 512 MiB, 2.0 GiB. */
export function formatKiB(kib: number): string {
  return kib >= 1024 * 1024
    ? `${(kib / 1024 / 1024).toFixed(1)} GiB`
    : `${Math.round(kib / 1024)} MiB`
}

/** CPU and memory cells of a running VM's row, redrawn on every stats tick. */
export function VmStatsCells({
  uuid,
  running,
  labels,
}: {
  uuid: string
  running: boolean
  labels: RowLabels
}) {
  useStatsStore((s) => s.tick)
  const history = useStatsStore.getState().byVm.get(uuid)
  if (!running || !history) {
    return (
      <>
        <span role="cell" className="muted">
          —
        </span>
        <span role="cell" className="muted">
          —
        </span>
      </>
    )
  }
  const { last } = history
  return (
    <>
      <span role="cell" className="stat-cell" data-testid="vm-cpu">
        <Sparkline values={history.cpu.toArray(SPARKLINE_SAMPLES)} label={labels.cpuHistory} />
        {last.cpuPercent.toFixed(0)}%
      </span>
      <span role="cell" className="stat-cell" data-testid="vm-memory">
        <Sparkline
          values={history.memory.toArray(SPARKLINE_SAMPLES)}
          label={labels.memoryHistory}
        />
        {formatKiB(last.memoryUsedKiB)} / {formatKiB(last.memoryKiB)}
      </span>
    </>
  )
}
