import { useState } from 'react'
import { useTranslation } from 'react-i18next'

/** A shell command shown for the user to copy, with a copy button. */
export function CommandLine({ command }: { command: string }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command)
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    } catch {
      // Clipboard refused (no permission): the text stays selectable.
    }
  }
  return (
    <div className="command-line">
      <code>{command}</code>
      <button type="button" className="button small" onClick={() => void copy()}>
        {copied ? t('common.copied') : t('common.copy')}
      </button>
    </div>
  )
}
