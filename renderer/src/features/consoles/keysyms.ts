/**
 * Keys for the VNC console: X11 keysyms (the values of X11's keysymdef.h) and the physical
 * key codes (KeyboardEvent.code names) noVNC turns into scancodes when QEMU's extended key
 * events are on. Combinations press their keys in order and release them in reverse; typed
 * text becomes one key press per character, with Shift where a US keyboard needs it.
 */

/** One key: its keysym, and its physical key when it has a fixed one. */
export interface Key {
  keysym: number
  code: string | null
}

/** A key going down or up. */
export interface KeyStroke extends Key {
  down: boolean
}

const key = (keysym: number, code: string | null): Key => ({ keysym, code })

/** Keysyms and codes used here (X11 keysymdef.h). */
export const KEYS = {
  controlLeft: key(0xffe3, 'ControlLeft'),
  altLeft: key(0xffe9, 'AltLeft'),
  shiftLeft: key(0xffe1, 'ShiftLeft'),
  delete: key(0xffff, 'Delete'),
  backspace: key(0xff08, 'Backspace'),
  enter: key(0xff0d, 'Enter'),
  tab: key(0xff09, 'Tab'),
  printScreen: key(0xff61, 'PrintScreen'),
  // The SysRq key is the PrintScreen key's other face (scancode 0x54, Linux KEY_SYSRQ).
  sysRq: key(0xff15, 'PrintScreen'),
} as const

/** F1 ... F12: keysyms 0xffbe ... 0xffc9. */
export const functionKey = (n: number): Key => key(0xffbe + n - 1, `F${n}`)

/** A combination the send-keys menu offers. */
export interface KeyCombo {
  /** Stable id (tests, i18n of the few that need words). */
  id: string
  /** What the menu shows, e.g. "Ctrl+Alt+Del" (key names are the same in every language). */
  label: string
  keys: readonly Key[]
}

const ctrlAlt = [KEYS.controlLeft, KEYS.altLeft]

/** The send-keys menu: Ctrl+Alt+Del, Ctrl+Alt+Backspace, Ctrl+Alt+F1..F12, PrintScreen, SysRq. */
export const KEY_COMBOS: readonly KeyCombo[] = [
  { id: 'ctrl-alt-del', label: 'Ctrl+Alt+Del', keys: [...ctrlAlt, KEYS.delete] },
  { id: 'ctrl-alt-backspace', label: 'Ctrl+Alt+Backspace', keys: [...ctrlAlt, KEYS.backspace] },
  ...Array.from({ length: 12 }, (_, i) => ({
    id: `ctrl-alt-f${i + 1}`,
    label: `Ctrl+Alt+F${i + 1}`,
    keys: [...ctrlAlt, functionKey(i + 1)],
  })),
  { id: 'print-screen', label: 'PrintScreen', keys: [KEYS.printScreen] },
  // Linux's magic SysRq wants Alt held with it.
  { id: 'alt-sysrq', label: 'Alt+SysRq', keys: [KEYS.altLeft, KEYS.sysRq] },
]

/** A combination as strokes: every key down in order, then up in reverse. */
export function comboStrokes(keys: readonly Key[]): KeyStroke[] {
  return [
    ...keys.map((k) => ({ ...k, down: true })),
    ...[...keys].reverse().map((k) => ({ ...k, down: false })),
  ]
}

/** Characters that need Shift on a US keyboard (besides A-Z). */
const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?')

/** Typed text as strokes, and the characters that could not be typed. */
export interface TypedText {
  strokes: KeyStroke[]
  /** Characters outside what a US keyboard types (they are left out). */
  skipped: number
}

/**
 * Text as key strokes. Printable ASCII is typed by keysym (the guest's keymap picks the key),
 * newlines as Enter (CRLF counts once), tabs as Tab; Shift is held around capitals and
 * shifted symbols so guests that read scancodes see them right. Anything else is skipped
 * and counted: a VNC server cannot type characters its keymap has no key for.
 */
export function textToStrokes(text: string): TypedText {
  const strokes: KeyStroke[] = []
  let skipped = 0
  const press = (k: Key) => strokes.push(...comboStrokes([k]))
  const chars = [...text.replace(/\r\n?/g, '\n')]
  for (const ch of chars) {
    if (ch === '\n') press(KEYS.enter)
    else if (ch === '\t') press(KEYS.tab)
    else {
      const cp = ch.codePointAt(0)!
      if (cp < 0x20 || cp > 0x7e) {
        skipped++
        continue
      }
      const k = key(cp, null)
      if ((ch >= 'A' && ch <= 'Z') || SHIFTED.has(ch))
        strokes.push(...comboStrokes([KEYS.shiftLeft, k]))
      else press(k)
    }
  }
  return { strokes, skipped }
}
