import { useCallback, useEffect, useReducer, useRef, type RefObject } from 'react'
import { flushSync } from 'react-dom'

/** The rows to render: from `start` up to (not including) `end`. */
export interface RowRange {
  start: number
  end: number
}

/**
 * The rows of a list of `count` rows, each `rowHeight` px, that are in a view `height` px
 * tall scrolled `top` px down, plus `overscan` rows on either side.
 */
export function rowRange(
  count: number,
  rowHeight: number,
  overscan: number,
  top: number,
  height: number,
): RowRange {
  const first = Math.floor(Math.max(0, top) / rowHeight)
  const last = Math.ceil((Math.max(0, top) + Math.max(0, height)) / rowHeight)
  return {
    start: Math.min(count, Math.max(0, first - overscan)),
    end: Math.min(count, last + overscan),
  }
}

/** A list's window of rows (see useRowWindow). */
export interface RowWindow extends RowRange {
  /** The height of all rows, for the element that makes the list scroll. */
  totalHeight: number
  /** Scrolls the row into view (to the nearer edge) and renders it at once. */
  scrollToIndex(index: number): void
}

/**
 * Virtualizes a list of fixed-height rows in the scroll element `scroller`: only the rows in
 * view, and `overscan` more on either side, are rendered. The rows have one height, so the
 * window is arithmetic: nothing is measured per row and nothing forces a layout. Until the
 * element's size is known (a ResizeObserver reports it after the first layout) the view is
 * taken to be as tall as the window, so the first frame already shows a full screen of rows.
 * Scrolling re-renders synchronously when the window moves, so no blank rows show.
 */
export function useRowWindow(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan: number,
): RowWindow {
  const view = useRef({ top: 0, height: window.innerHeight })
  const [, redraw] = useReducer((n: number) => n + 1, 0)
  const range = rowRange(count, rowHeight, overscan, view.current.top, view.current.height)
  const latest = useRef({ range, count })
  latest.current = { range, count }

  /** Re-reads the scroll element; re-renders (now, when `sync`) if the window moved. */
  const update = useCallback(
    (sync: boolean) => {
      const el = scroller.current
      if (!el) return
      view.current = { top: el.scrollTop, height: el.clientHeight }
      const { range: shown, count: rows } = latest.current
      const next = rowRange(rows, rowHeight, overscan, el.scrollTop, el.clientHeight)
      if (next.start === shown.start && next.end === shown.end) return
      if (sync) flushSync(redraw)
      else redraw()
    },
    [scroller, rowHeight, overscan],
  )

  useEffect(() => {
    const el = scroller.current
    if (!el) return
    const onScroll = () => update(true)
    el.addEventListener('scroll', onScroll, { passive: true })
    const resizes =
      typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => update(false))
    resizes?.observe(el)
    return () => {
      el.removeEventListener('scroll', onScroll)
      resizes?.disconnect()
    }
  }, [scroller, update])

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scroller.current
      if (!el) return
      const top = index * rowHeight
      if (top < el.scrollTop) el.scrollTop = top
      else if (top + rowHeight > el.scrollTop + el.clientHeight) {
        el.scrollTop = top + rowHeight - el.clientHeight
      }
      update(true)
    },
    [scroller, rowHeight, update],
  )

  return { ...range, totalHeight: count * rowHeight, scrollToIndex }
}
