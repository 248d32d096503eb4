/**
 * Shell-like recall of earlier commands with the arrow keys: Up walks back from the newest,
 * Down walks forward and, past the newest, returns to the line being typed (the draft).
 */

/** Where the input is: `index` into the history, or undefined while typing a new line. */
export interface HistoryCursor {
  index: number | undefined
  /** The unfinished line, kept while browsing. */
  draft: string
}

/** Typing a new line, nothing saved. */
export const FRESH_CURSOR: HistoryCursor = { index: undefined, draft: '' }

/**
 * One step through the history from the input's `current` text. Returns the new cursor and
 * the text to show, or undefined when there is nowhere to go (the input stays as it is).
 */
export function browseHistory(
  history: readonly string[],
  cursor: HistoryCursor,
  current: string,
  direction: 'up' | 'down',
): { cursor: HistoryCursor; value: string } | undefined {
  const { index } = cursor
  if (direction === 'up') {
    if (history.length === 0 || index === 0) return undefined
    const next = index === undefined ? history.length - 1 : index - 1
    const draft = index === undefined ? current : cursor.draft
    return { cursor: { index: next, draft }, value: history[next]! }
  }
  if (index === undefined) return undefined
  if (index < history.length - 1) {
    return { cursor: { index: index + 1, draft: cursor.draft }, value: history[index + 1]! }
  }
  return { cursor: { index: undefined, draft: '' }, value: cursor.draft }
}
