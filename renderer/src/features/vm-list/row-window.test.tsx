import { act, useRef } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import { rowRange, useRowWindow, type RowWindow } from './row-window'

describe('rowRange', () => {
  it('covers the rows in view and the overscan on either side, within the list', () => {
    expect(rowRange(1000, 36, 12, 0, 480)).toEqual({ start: 0, end: 26 })
    expect(rowRange(1000, 36, 12, 36 * 500, 480)).toEqual({ start: 488, end: 526 })
    expect(rowRange(1000, 36, 12, 36 * 500 + 10, 480)).toEqual({ start: 488, end: 526 })
    expect(rowRange(1000, 36, 12, 36 * 990, 480)).toEqual({ start: 978, end: 1000 })
    expect(rowRange(5, 36, 12, 0, 480)).toEqual({ start: 0, end: 5 })
    expect(rowRange(0, 36, 12, 0, 480)).toEqual({ start: 0, end: 0 })
  })

  it('treats a negative scroll (overscroll) or size as zero', () => {
    expect(rowRange(1000, 36, 2, -50, -10)).toEqual({ start: 0, end: 2 })
  })
})

/** A scroll element as tall as `height` px (jsdom does no layout). */
function scroller(height: number): HTMLDivElement {
  const el = document.createElement('div')
  Object.defineProperty(el, 'clientHeight', { value: height })
  document.body.append(el)
  return el
}

let root: Root | undefined
afterEach(() => {
  act(() => root?.unmount())
  document.body.replaceChildren()
})

/** Renders the hook over `el` and returns its latest window. */
function renderWindow(el: HTMLElement, count: number): { current: RowWindow } {
  const latest = {} as { current: RowWindow }
  function Probe() {
    const ref = useRef<HTMLElement>(el)
    latest.current = useRowWindow(ref, count, 36, 12)
    return null
  }
  root = createRoot(document.createElement('div'))
  act(() => root!.render(<Probe />))
  return latest
}

describe('useRowWindow', () => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

  it('starts with a window-tall view, then follows scrolling', () => {
    const el = scroller(480)
    const w = renderWindow(el, 1000)
    expect(w.current.start).toBe(0)
    expect(w.current.end).toBe(Math.ceil(window.innerHeight / 36) + 12)
    expect(w.current.totalHeight).toBe(36_000)
    act(() => {
      el.scrollTop = 36 * 300
      el.dispatchEvent(new Event('scroll'))
    })
    expect([w.current.start, w.current.end]).toEqual([288, 326])
  })

  it('scrolls a row into view at the nearer edge and renders it at once', () => {
    const el = scroller(480)
    const w = renderWindow(el, 1000)
    act(() => w.current.scrollToIndex(100))
    expect(el.scrollTop).toBe(101 * 36 - 480)
    expect(w.current.end).toBeGreaterThan(100)
    act(() => w.current.scrollToIndex(40))
    expect(el.scrollTop).toBe(40 * 36)
    expect(w.current.start).toBeLessThanOrEqual(40)
    act(() => w.current.scrollToIndex(45)) // already in view: no scroll
    expect(el.scrollTop).toBe(40 * 36)
  })
})
