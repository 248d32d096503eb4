/**
 * The xterm.js terminal of a serial console, with its addons: fit (follows the panel's size),
 * search, copy and paste. Output arrives as UTF-8 bytes and xterm decodes it (a character
 * split across chunks is fine); what the user types leaves as UTF-8 through `onInput`.
 */
import { FitAddon } from '@xterm/addon-fit'
import { SearchAddon } from '@xterm/addon-search'
import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import type { SerialSink } from './serial-session'
import { TerminalStyles } from './xterm-styles'

/** Lines kept above the screen. */
const SCROLLBACK = 10_000

/** Monospace fonts, then a CJK monospace one so Chinese text renders at double width. */
const FONT_FAMILY = [
  "'DejaVu Sans Mono'",
  "'Cascadia Mono'",
  "'SF Mono'",
  'Menlo',
  'Consolas',
  "'Liberation Mono'",
  "'Noto Sans Mono CJK SC'",
  "'Noto Sans Mono'",
  'monospace',
].join(', ')

/** A dark theme, as terminals usually are, whatever the app's theme. */
const THEME = {
  background: '#16191f',
  foreground: '#d8dee9',
  cursor: '#d8dee9',
  selectionBackground: '#3d5a80',
}

/** A serial console's terminal: where output goes (a SerialSink) and what the toolbar uses. */
export interface SerialTerminal extends SerialSink {
  /** The selected text (empty when nothing is selected). */
  selection(): string
  /** Types text as a paste (line ends become CR, bracketed paste when the guest asked). */
  paste(text: string): void
  /** Selects the next (or previous) match; false when there is none. */
  find(text: string, backwards: boolean): boolean
  /** Drops the search highlight. */
  clearSearch(): void
  focus(): void
  dispose(): void
}

/** Opens a terminal in `parent`; `onInput` gets what the user types or pastes. */
export function createTerminal(
  parent: HTMLElement,
  onInput: (data: string | Uint8Array) => void,
): SerialTerminal {
  const styles = new TerminalStyles()
  const term = new Terminal({
    scrollback: SCROLLBACK,
    fontFamily: FONT_FAMILY,
    fontSize: 14,
    cursorBlink: true,
    convertEol: false,
    theme: THEME,
    documentOverride: styles.documentOverride(),
  })
  const fit = new FitAddon()
  const search = new SearchAddon()
  term.loadAddon(fit)
  term.loadAddon(search)
  styles.open(term, parent)

  // Ctrl+Shift+C copies the selection; Ctrl+Shift+V is left to the browser, whose paste
  // event xterm handles. Plain Ctrl+C and Ctrl+V go to the guest, as in any terminal.
  term.attachCustomKeyEventHandler((event) => {
    if (!event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return true
    if (event.code === 'KeyC') {
      if (event.type === 'keydown' && term.hasSelection()) {
        void navigator.clipboard?.writeText(term.getSelection()).catch(() => {})
      }
      event.preventDefault()
      return false
    }
    return event.code !== 'KeyV'
  })
  const input = term.onData((data) => onInput(data))
  // Binary input (some mouse reports) is one byte per character.
  const binary = term.onBinary((data) => onInput(Uint8Array.from(data, (c) => c.charCodeAt(0))))

  let frame = 0
  const resize = new ResizeObserver(() => {
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(() => {
      if (parent.clientWidth > 0 && parent.clientHeight > 0) fit.fit()
    })
  })
  resize.observe(parent)

  return {
    write: (data, done) => term.write(data, done),
    selection: () => term.getSelection(),
    paste: (text) => term.paste(text),
    find: (text, backwards) =>
      backwards ? search.findPrevious(text) : search.findNext(text, { incremental: false }),
    clearSearch: () => {
      search.clearDecorations()
      term.clearSelection()
    },
    focus: () => term.focus(),
    dispose: () => {
      resize.disconnect()
      cancelAnimationFrame(frame)
      input.dispose()
      binary.dispose()
      term.dispose()
      styles.dispose()
    },
  }
}
