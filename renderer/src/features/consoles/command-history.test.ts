import { describe, expect, it } from 'vitest'
import { browseHistory, FRESH_CURSOR, type HistoryCursor } from './command-history'

const history = ['info status', 'info block', 'info registers']

/** Presses the keys in order from a fresh input holding `typed`; returns the texts shown. */
function press(keys: ('up' | 'down')[], typed = ''): (string | null)[] {
  let cursor: HistoryCursor = FRESH_CURSOR
  let value = typed
  return keys.map((key) => {
    const step = browseHistory(history, cursor, value, key)
    if (!step) return null
    cursor = step.cursor
    value = step.value
    return value
  })
}

describe('browseHistory', () => {
  it('walks back from the newest command and stops at the oldest', () => {
    expect(press(['up', 'up', 'up', 'up'])).toEqual([
      'info registers',
      'info block',
      'info status',
      null,
    ])
  })

  it('walks forward again and returns to the unfinished line', () => {
    expect(press(['up', 'up', 'down', 'down', 'down'], 'info mt')).toEqual([
      'info registers',
      'info block',
      'info registers',
      'info mt',
      null,
    ])
  })

  it('does nothing with an empty history or Down on a new line', () => {
    expect(browseHistory([], FRESH_CURSOR, 'x', 'up')).toBeUndefined()
    expect(browseHistory(history, FRESH_CURSOR, 'x', 'down')).toBeUndefined()
  })
})
