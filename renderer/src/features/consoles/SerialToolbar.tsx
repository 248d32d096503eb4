import { useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { SerialSession, SerialSessionState } from './serial-session'
import type { SerialTerminal } from './serial-terminal'

/** Props of {@link SerialToolbar}. */
export interface SerialToolbarProps {
  session: SerialSession | undefined
  terminal: SerialTerminal | undefined
  state: SerialSessionState
  /** Moves the console to a window of its own; absent in one already. */
  onDetach: (() => void) | undefined
}

/** Device chooser, copy and paste, search, reconnect and detach above a serial console. */
export function SerialToolbar({ session, terminal, state, onDetach }: SerialToolbarProps) {
  const { t } = useTranslation()
  const [query, setQuery] = useState('')
  const [noMatch, setNoMatch] = useState(false)
  const [clipboardError, setClipboardError] = useState(false)
  const connecting = state.status.kind === 'connecting'

  const find = (backwards: boolean) => {
    if (!terminal || query === '') return
    setNoMatch(!terminal.find(query, backwards))
  }
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault()
      find(e.shiftKey)
    } else if (e.key === 'Escape') {
      setQuery('')
      setNoMatch(false)
      terminal?.clearSearch()
      terminal?.focus()
    }
  }
  const copy = async () => {
    const text = terminal?.selection() ?? ''
    if (text === '') return
    try {
      await navigator.clipboard.writeText(text)
      setClipboardError(false)
    } catch {
      setClipboardError(true)
    }
    terminal?.focus()
  }
  const paste = async () => {
    try {
      const text = await navigator.clipboard.readText()
      setClipboardError(false)
      if (text) terminal?.paste(text)
    } catch {
      setClipboardError(true)
    }
    terminal?.focus()
  }

  return (
    <div className="serial-toolbar" role="toolbar" aria-label={t('consoles.serial.toolbar')}>
      {state.devices.length > 1 && (
        <label className="serial-device">
          <span>{t('consoles.serial.device')}</span>
          <select
            value={state.device ?? ''}
            disabled={connecting}
            onChange={(e) => void session?.chooseDevice(e.target.value)}
          >
            {state.devices.map((d, i) => (
              <option
                key={d.alias ?? `${d.kind}-${i}`}
                value={d.alias ?? ''}
                disabled={!d.openable}
              >
                {t('consoles.serial.deviceOption', {
                  alias: d.alias ?? `${d.kind}${d.port ?? i}`,
                  target: d.targetType ?? d.kind,
                  type: d.type,
                })}
                {d.unavailable ? ` — ${t(`consoles.serial.unavailable.${d.unavailable}`)}` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className="button small" onClick={() => void copy()}>
        {t('consoles.serial.copy')}
      </button>
      <button type="button" className="button small" onClick={() => void paste()}>
        {t('consoles.serial.paste')}
      </button>
      <span className="serial-search">
        <input
          type="search"
          value={query}
          placeholder={t('consoles.serial.search')}
          aria-label={t('consoles.serial.search')}
          aria-invalid={noMatch}
          onChange={(e) => {
            setQuery(e.target.value)
            setNoMatch(false)
          }}
          onKeyDown={onSearchKey}
        />
        <button
          type="button"
          className="button small"
          aria-label={t('consoles.serial.searchPrevious')}
          title={t('consoles.serial.searchPrevious')}
          onClick={() => find(true)}
        >
          ↑
        </button>
        <button
          type="button"
          className="button small"
          aria-label={t('consoles.serial.searchNext')}
          title={t('consoles.serial.searchNext')}
          onClick={() => find(false)}
        >
          ↓
        </button>
        {noMatch && <span className="warning">{t('consoles.serial.noMatch')}</span>}
      </span>
      <span className="serial-toolbar-end">
        <span className="hint">{t('consoles.serial.keysHint')}</span>
        <button
          type="button"
          className="button small"
          disabled={connecting || !session}
          onClick={() => void session?.connect()}
        >
          {t('consoles.serial.reconnect')}
        </button>
        {onDetach && (
          <button type="button" className="button small" onClick={onDetach}>
            {t('consoles.detach')} ↗
          </button>
        )}
      </span>
      {clipboardError && (
        <p className="warning serial-clipboard-error" role="alert">
          {t('consoles.serial.clipboardDenied')}
        </p>
      )}
    </div>
  )
}
