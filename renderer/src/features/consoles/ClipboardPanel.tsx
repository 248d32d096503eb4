import { useState } from 'react'
import { useTranslation } from 'react-i18next'

/** Props of {@link ClipboardPanel}. */
export interface ClipboardPanelProps {
  /** What the guest last put on its clipboard. */
  guestText: string | undefined
  connected: boolean
  onSendToGuest(text: string): void
  /** Types the text; resolves with the number of characters left out. */
  onType(text: string): Promise<number>
}

/**
 * Text between this computer and the VM: to the guest's clipboard (where its VNC server
 * shares one), as typed keystrokes (works everywhere, e.g. a password prompt), and the text
 * the guest copied. The text box is the way in: a browser may refuse to let the page read the
 * clipboard, but pasting into a box always works.
 */
export function ClipboardPanel({
  guestText,
  connected,
  onSendToGuest,
  onType,
}: ClipboardPanelProps) {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const [note, setNote] = useState<string>()

  const [copied, setCopied] = useState(false)

  const copyGuest = async () => {
    try {
      await navigator.clipboard.writeText(guestText ?? '')
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    } catch {
      // The browser refused: the text is shown, so it can be selected and copied by hand.
      setNote(t('vnc.clipboard.copyRefused'))
    }
  }
  const pasteFromMine = async () => {
    try {
      setText(await navigator.clipboard.readText())
      setNote(undefined)
    } catch {
      setNote(t('vnc.clipboard.pasteRefused'))
    }
  }
  const type = async () => {
    const typed = [...text].length
    const skipped = await onType(text)
    setNote(
      skipped > 0
        ? t('vnc.clipboard.skipped', { typed: typed - skipped, skipped })
        : t('vnc.clipboard.typed', { typed }),
    )
  }

  return (
    <section className="vnc-clipboard" aria-label={t('vnc.clipboard.title')}>
      <label className="field grow">
        <span>{t('vnc.clipboard.text')}</span>
        <textarea value={text} rows={3} onChange={(e) => setText(e.target.value)} />
      </label>
      <div className="inline-form">
        <button type="button" className="button small" onClick={() => void pasteFromMine()}>
          {t('vnc.clipboard.fromMine')}
        </button>
        <button
          type="button"
          className="button small"
          disabled={!connected || text === ''}
          onClick={() => {
            onSendToGuest(text)
            setNote(t('vnc.clipboard.sent'))
          }}
        >
          {t('vnc.clipboard.toGuest')}
        </button>
        <button
          type="button"
          className="button small primary"
          disabled={!connected || text === ''}
          onClick={() => void type()}
        >
          {t('vnc.clipboard.type')}
        </button>
      </div>
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
      <div className="field">
        <span>{t('vnc.clipboard.guest')}</span>
        {guestText ? (
          <>
            <pre className="vnc-guest-clipboard">{guestText}</pre>
            <button type="button" className="button small" onClick={() => void copyGuest()}>
              {copied ? t('common.copied') : t('common.copy')}
            </button>
          </>
        ) : (
          <p className="hint">{t('vnc.clipboard.guestEmpty')}</p>
        )}
      </div>
    </section>
  )
}
