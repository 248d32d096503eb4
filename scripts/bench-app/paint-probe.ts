/**
 * Scenario 1's probe, run in the page before the app's own scripts (an init script). It
 * clicks the bench's host in the sidebar as soon as it appears (the app does not remember a
 * selection across loads; the click costs the page nothing a person's click would not), then
 * watches the DOM (a MutationObserver) until the VM count reads EXPECTED of EXPECTED and
 * rows are there. "Painted" is the next animation frame callback, where it also checks that
 * the virtualized body's first screen is filled with rows (reading layout there costs
 * nothing the frame would not do anyway; if not filled yet, it checks again each frame).
 * A task posted from that callback records when the main thread is free again after the
 * frame (this one also waits for whatever was queued, e.g. a stats tick). Every time is
 * performance.now(), i.e. ms since navigation start.
 *
 * It is a string, not a function: tsx adds helpers (__name) to compiled functions that do not
 * exist in the page.
 */

/** What the probe leaves in `window.__virtdeckBench`. */
export interface PaintTimes {
  /** The host button was clicked. */
  clickedAt?: number
  /** Count and rows seen in the DOM (a mutation callback). */
  conditionAt?: number
  /** The animation frame callback that saw the first screen filled: the measure. */
  frameAt?: number
  /** A task posted from that callback: the main thread free again after that frame. */
  afterFrameAt?: number
  /** Rows in the DOM at that point. */
  rows?: number
  /** performance.timeOrigin, to place the times on the wall clock. */
  timeOrigin?: number
}

/**
 * What the probe logs once the measure is taken: one console message, so the bench waits
 * without polling the page (polling would take the page's main thread while it loads).
 */
export const PAINTED_MESSAGE = 'virtdeck-bench: painted'

/** The init script for a host named `hostName` with `expected` VMs. */
export function paintProbe(hostName: string, expected: number): string {
  return `(() => {
  const HOST = ${JSON.stringify(hostName)}
  const EXPECTED = ${expected}
  const times = { timeOrigin: performance.timeOrigin }
  window.__virtdeckBench = times
  let clicked = false
  let done = false
  const numbers = (text) => (text.match(/\\d[\\d,]*/g) || []).map((n) => Number(n.replace(/,/g, '')))
  // Reads layout, so it runs only in an animation frame (where the frame lays out anyway).
  const firstScreenFilled = (rows) => {
    if (rows.length >= EXPECTED) return true
    const body = rows[0].parentElement && rows[0].parentElement.parentElement
    if (!body) return false
    let bottom = 0
    for (const r of rows) bottom = Math.max(bottom, r.getBoundingClientRect().bottom)
    return bottom >= body.getBoundingClientRect().bottom
  }
  const inFrame = () => {
    const rows = document.querySelectorAll('[role="row"][data-index]')
    if (rows.length === 0 || !firstScreenFilled(rows)) {
      requestAnimationFrame(inFrame)
      return
    }
    times.frameAt = performance.now()
    setTimeout(() => {
      times.afterFrameAt = performance.now()
      times.rows = document.querySelectorAll('[role="row"][data-index]').length
      console.info(${JSON.stringify(PAINTED_MESSAGE)})
    }, 0)
  }
  const check = () => {
    if (done) return
    if (!clicked) {
      const button = [...document.querySelectorAll('nav button')].find((b) =>
        (b.textContent || '').includes(HOST),
      )
      if (button) {
        clicked = true
        times.clickedAt = performance.now()
        button.click()
      }
    }
    const count = document.querySelector('[data-testid="vm-count"]')
    if (!count) return
    const n = numbers(count.textContent || '')
    if (n.length < 2 || n[0] !== EXPECTED || n[n.length - 1] !== EXPECTED) return
    if (!document.querySelector('[role="row"][data-index]')) return
    done = true
    observer.disconnect()
    times.conditionAt = performance.now()
    requestAnimationFrame(inFrame)
  }
  const observer = new MutationObserver(check)
  observer.observe(document, { childList: true, subtree: true, characterData: true })
})()`
}

/** The page expression that returns the probe's times. */
export const READ_TIMES = 'window.__virtdeckBench'
