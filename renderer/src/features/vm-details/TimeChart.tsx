import { useEffect, useRef, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

/** One line of a chart: its legend label and which palette colour (1, 2) draws it. */
export interface ChartLine {
  label: string
  color: 1 | 2
}

/** Props of {@link TimeChart}. */
export interface TimeChartProps {
  title: string
  /** The y axis label, unit included: "CPU (%)", "Disk (KiB/s)". */
  axisLabel: string
  lines: readonly ChartLine[]
  /** uPlot columns: seconds, then one array per line. */
  data: uPlot.AlignedData
  /** Each line's newest value, formatted, for the legend. */
  latest: readonly string[]
  /** The top of the y axis (100 for percentages); the data's maximum otherwise. */
  yMax?: number
  /** How much time the x axis spans, ending at the newest sample. */
  windowSeconds: number
  testId: string
}

const HEIGHT = 170
const FONT = "11px system-ui, 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', sans-serif"
const DARK = '(prefers-color-scheme: dark)'

/** Calls back when the OS scheme or the theme setting (`data-theme` on <html>) changes. */
function subscribeScheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK)
  query.addEventListener('change', onChange)
  const setting = new MutationObserver(onChange)
  setting.observe(document.documentElement, { attributeFilter: ['data-theme'] })
  return () => {
    query.removeEventListener('change', onChange)
    setting.disconnect()
  }
}

/** The theme setting when it picks one, else the OS's scheme. */
function currentScheme(): 'dark' | 'light' {
  const setting = document.documentElement.dataset.theme
  if (setting === 'dark' || setting === 'light') return setting
  return window.matchMedia(DARK).matches ? 'dark' : 'light'
}

/** The colour scheme in force, re-read when it changes (charts draw with resolved colours). */
function useColorScheme(): 'dark' | 'light' {
  return useSyncExternalStore(subscribeScheme, currentScheme)
}

/**
 * A live line chart over a sliding time window, drawn by uPlot on a canvas. The plot is made
 * once (and again when the colour scheme changes); each tick only hands it new data.
 */
export function TimeChart(props: TimeChartProps) {
  const { i18n } = useTranslation()
  const scheme = useColorScheme()
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | undefined>(undefined)
  // The plot's callbacks read these, so new props need no new plot.
  const live = useRef(props)
  live.current = props
  // The lines, the scheme and the language decide the plot's shape, colours and tick labels:
  // a change of those makes a new plot; data flows into the existing one.
  const shape = props.lines.map((l) => `${l.color}:${l.label}`).join()

  useEffect(() => {
    const el = host.current
    if (!el) return
    const css = getComputedStyle(el)
    const color = (name: string) => css.getPropertyValue(name).trim()
    const axisColor = color('--muted')
    const gridColor = color('--border')
    // 24-hour clock times, short enough for five minutes of ticks in any language.
    const minutes = new Intl.DateTimeFormat(i18n.language, {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    const seconds = new Intl.DateTimeFormat(i18n.language, {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    const axis = { stroke: axisColor, font: FONT, labelFont: FONT, ticks: { stroke: gridColor } }
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: {
            time: true,
            range: (_u, _min, max) => {
              const end = max ?? Date.now() / 1000
              return [end - live.current.windowSeconds, end]
            },
          },
          y: {
            range: (_u, _min, max) => [0, live.current.yMax ?? (max > 0 ? max * 1.15 : 1)],
          },
        },
        axes: [
          {
            ...axis,
            grid: { stroke: gridColor, width: 1 },
            values: (_u, splits, _axis, _space, step) => {
              const clock = step < 60 ? seconds : minutes
              return splits.map((s) => clock.format(new Date(s * 1000)))
            },
          },
          {
            ...axis,
            grid: { stroke: gridColor, width: 1 },
            label: () => live.current.axisLabel,
            labelSize: 18,
            size: 46,
          },
        ],
        series: [
          {},
          ...props.lines.map((line) => {
            const stroke = color(`--chart-${line.color}`)
            return {
              label: line.label,
              stroke,
              width: 1.5,
              // A faint area under the line; the palette colours are #rrggbb.
              ...(/^#[0-9a-f]{6}$/i.test(stroke) && { fill: `${stroke}22` }),
              points: { show: false },
            }
          }),
        ],
        hooks: {
          // For tests and for people reading the DOM: how many samples the last draw had.
          draw: [(self) => (el.dataset.samples = String(self.data[0].length))],
        },
      },
      live.current.data,
      el,
    )
    plot.current = u
    const resize = new ResizeObserver(() =>
      u.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }),
    )
    resize.observe(el)
    return () => {
      resize.disconnect()
      u.destroy()
      plot.current = undefined
    }
  }, [scheme, i18n.language, shape])

  useEffect(() => {
    plot.current?.setData(props.data)
  }, [props.data])

  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption className="chart-head">
        <h3>{props.title}</h3>
        <ul className="chart-legend">
          {props.lines.map((line, i) => (
            <li key={line.label}>
              <span className={`swatch swatch-${line.color}`} aria-hidden="true" />
              {line.label} <strong>{props.latest[i]}</strong>
            </li>
          ))}
        </ul>
      </figcaption>
      <div
        ref={host}
        className="chart-plot"
        role="img"
        aria-label={`${props.title}: ${props.lines.map((l, i) => `${l.label} ${props.latest[i] ?? ''}`).join(', ')}`}
      />
    </figure>
  )
}
