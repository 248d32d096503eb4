/**
 * xterm.js under our Content Security Policy (style-src 'self', see electron/main/windows/
 * csp.ts). xterm's DOM renderer writes its theme and cell metrics into `<style>` elements it
 * creates, which the policy blocks: the terminal would render unstyled, with a console error
 * per update. Constructed style sheets (`new CSSStyleSheet()`, adopted by the document) are
 * CSSOM, which the policy allows; so xterm gets stand-ins for its `<style>` elements whose
 * text goes into such a sheet.
 *
 * xterm creates them through two documents: its `documentOverride` (the renderer's theme and
 * metrics; we pass a proxy of the real document) and the global `document` (the viewport's
 * scrollbar colours, created once in `open()`; diverted for the duration of that call).
 * Cell colours outside the 16/256 palette (24-bit colour, selection, search matches) are
 * inline `style` attributes, which the policy allows through `style-src-attr`.
 */
import type { Terminal } from '@xterm/xterm'
import type { Disposable } from '@common/lifecycle'

/** Whether this browser has constructable, adoptable style sheets (jsdom has not). */
const supported = (): boolean =>
  typeof CSSStyleSheet !== 'undefined' &&
  typeof CSSStyleSheet.prototype.replaceSync === 'function' &&
  'adoptedStyleSheets' in Document.prototype

/** The style sheets of one terminal, adopted by the document until disposed. */
export class TerminalStyles implements Disposable {
  private readonly sheets: CSSStyleSheet[] = []

  /** A hidden element that stands for a `<style>`: its text becomes an adopted sheet. */
  createStyleElement(): HTMLElement {
    if (!supported()) return document.createElement('style')
    const element = document.createElement('virtdeck-style')
    element.hidden = true
    const sheet = new CSSStyleSheet()
    this.sheets.push(sheet)
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
    let text = ''
    Object.defineProperty(element, 'textContent', {
      get: () => text,
      set: (value: unknown) => {
        text = value == null ? '' : String(value)
        sheet.replaceSync(text)
      },
    })
    return element
  }

  /** The real document, except that `createElement('style')` makes a stand-in. */
  documentOverride(): Document {
    const createElement = (tag: string, options?: ElementCreationOptions) =>
      tag.toLowerCase() === 'style'
        ? this.createStyleElement()
        : document.createElement(tag, options)
    return new Proxy(document, {
      get(target, key) {
        if (key === 'createElement') return createElement
        const value: unknown = Reflect.get(target, key, target)
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value
      },
    })
  }

  /** Opens the terminal in `parent`, diverting the `<style>` elements `open()` creates. */
  open(terminal: Terminal, parent: HTMLElement): void {
    const original = Object.getOwnPropertyDescriptor(document, 'createElement')
    const create = document.createElement.bind(document)
    document.createElement = ((tag: string, options?: ElementCreationOptions) =>
      tag.toLowerCase() === 'style'
        ? this.createStyleElement()
        : create(tag, options)) as typeof document.createElement
    try {
      terminal.open(parent)
    } finally {
      if (original) Object.defineProperty(document, 'createElement', original)
      else delete (document as { createElement?: unknown }).createElement
    }
  }

  dispose(): void {
    const mine = new Set(this.sheets)
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !mine.has(s))
    this.sheets.length = 0
  }
}
