import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { KEY_COMBOS, type KeyCombo } from './keysyms'

/** Props of {@link SendKeysMenu}. */
export interface SendKeysMenuProps {
  disabled: boolean
  onSend(combo: KeyCombo): void
}

/**
 * A menu of key combinations the local keyboard cannot send to a VM (the host OS takes
 * Ctrl+Alt+Del, Ctrl+Alt+F1 ... for itself). Arrow keys move, Enter sends, Escape closes.
 */
export function SendKeysMenu({ disabled, onSend }: SendKeysMenuProps) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const items = useRef<(HTMLButtonElement | null)[]>([])

  useEffect(() => {
    if (!open) return
    items.current[0]?.focus()
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [open])

  const onKeyDown = (e: React.KeyboardEvent, index: number) => {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0
    if (e.key === 'Escape') {
      setOpen(false)
      root.current?.querySelector<HTMLButtonElement>('[aria-haspopup]')?.focus()
    } else if (step !== 0) {
      e.preventDefault()
      items.current[(index + step + KEY_COMBOS.length) % KEY_COMBOS.length]?.focus()
    }
  }

  return (
    <div className="menu-anchor" ref={root}>
      <button
        type="button"
        className="button small"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        {t('vnc.toolbar.sendKeys')} ▾
      </button>
      {open && (
        <div className="menu" role="menu" aria-label={t('vnc.toolbar.sendKeysLabel')}>
          {KEY_COMBOS.map((combo, i) => (
            <button
              key={combo.id}
              ref={(el) => {
                items.current[i] = el
              }}
              type="button"
              role="menuitem"
              className="menu-item"
              tabIndex={-1}
              onKeyDown={(e) => onKeyDown(e, i)}
              onClick={() => {
                setOpen(false)
                onSend(combo)
              }}
            >
              {combo.label}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
