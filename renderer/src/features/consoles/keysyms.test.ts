import { describe, expect, it } from 'vitest'
import { comboStrokes, functionKey, KEY_COMBOS, KEYS, textToStrokes } from './keysyms'

const ids = (strokes: { keysym: number; down: boolean }[]) =>
  strokes.map((s) => `${s.down ? '+' : '-'}${s.keysym.toString(16)}`)

describe('key combinations', () => {
  it('presses Ctrl+Alt+Del in order and releases in reverse, with physical codes', () => {
    const combo = KEY_COMBOS.find((c) => c.id === 'ctrl-alt-del')!
    const strokes = comboStrokes(combo.keys)
    expect(ids(strokes)).toEqual(['+ffe3', '+ffe9', '+ffff', '-ffff', '-ffe9', '-ffe3'])
    expect(strokes.map((s) => s.code)).toEqual([
      'ControlLeft',
      'AltLeft',
      'Delete',
      'Delete',
      'AltLeft',
      'ControlLeft',
    ])
  })

  it('offers every combination the console promises', () => {
    expect(KEY_COMBOS.map((c) => c.label)).toEqual([
      'Ctrl+Alt+Del',
      'Ctrl+Alt+Backspace',
      ...Array.from({ length: 12 }, (_, i) => `Ctrl+Alt+F${i + 1}`),
      'PrintScreen',
      'Alt+SysRq',
    ])
    expect(functionKey(1)).toEqual({ keysym: 0xffbe, code: 'F1' })
    expect(functionKey(12)).toEqual({ keysym: 0xffc9, code: 'F12' })
    expect(new Set(KEY_COMBOS.map((c) => c.id)).size).toBe(KEY_COMBOS.length)
  })
})

describe('typing text', () => {
  it('types ASCII by keysym, with Shift around capitals and shifted symbols', () => {
    const { strokes, skipped } = textToStrokes('aZ!')
    expect(skipped).toBe(0)
    expect(ids(strokes)).toEqual([
      '+61',
      '-61',
      '+ffe1',
      '+5a',
      '-5a',
      '-ffe1',
      '+ffe1',
      '+21',
      '-21',
      '-ffe1',
    ])
    // Characters go by keysym only (the guest's keymap picks the key); Shift by its key.
    expect(strokes[0]!.code).toBeNull()
    expect(strokes[2]!.code).toBe('ShiftLeft')
  })

  it('turns newlines (CRLF once) into Enter and tabs into Tab', () => {
    const { strokes } = textToStrokes('a\r\nb\tc\n')
    const enter = KEYS.enter.keysym.toString(16)
    const tab = KEYS.tab.keysym.toString(16)
    expect(ids(strokes)).toEqual([
      '+61',
      '-61',
      `+${enter}`,
      `-${enter}`,
      '+62',
      '-62',
      `+${tab}`,
      `-${tab}`,
      '+63',
      '-63',
      `+${enter}`,
      `-${enter}`,
    ])
  })

  it('counts and leaves out what a US keyboard cannot type', () => {
    const { strokes, skipped } = textToStrokes('é中\u0007x😀')
    expect(skipped).toBe(4)
    expect(ids(strokes)).toEqual(['+78', '-78'])
  })
})
