import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { VmState } from '@common/contract/vms'
import { ErrorText } from '../../components/ErrorText'
import { vmDetailsSelectors } from '../../stores/vm-details/selectors'
import { useVmDetailsStore } from '../../stores/vm-details/store'

/** Props of {@link XmlTab}. */
export interface XmlTabProps {
  hostId: string
  uuid: string
  /** A state change refetches the XML (a running VM's live XML differs). */
  state: VmState
  /** Only a persistent VM has a separate persistent definition to show. */
  persistent: boolean
}

/** The domain XML, read-only, live or the persistent definition, with a copy button. */
export function XmlTab({ hostId, uuid, state, persistent }: XmlTabProps) {
  const { t } = useTranslation()
  const [inactive, setInactive] = useState(false)
  const showInactive = inactive && persistent
  const xml = useVmDetailsStore(vmDetailsSelectors.xml(hostId, uuid, showInactive))
  const loadXml = useVmDetailsStore((s) => s.loadXml)
  const [error, setError] = useState<string>()
  const [copy, setCopy] = useState<'idle' | 'copied' | 'selected'>('idle')
  const block = useRef<HTMLPreElement>(null)

  useEffect(() => {
    setError(undefined)
    loadXml(hostId, uuid, showInactive).catch((err: Error) => setError(err.message))
  }, [hostId, uuid, showInactive, state, loadXml])

  useEffect(() => {
    if (copy !== 'copied') return
    const timer = setTimeout(() => setCopy('idle'), 1500)
    return () => clearTimeout(timer)
  }, [copy])

  const copyXml = async () => {
    if (xml === undefined) return
    try {
      await navigator.clipboard.writeText(xml)
      setCopy('copied')
    } catch {
      // No clipboard permission: select the text so Ctrl+C copies it.
      const range = document.createRange()
      if (block.current) range.selectNodeContents(block.current)
      getSelection()?.removeAllRanges()
      getSelection()?.addRange(range)
      setCopy('selected')
    }
  }

  return (
    <section className="xml-tab" aria-label={t('details.tab.xml')}>
      <div className="xml-toolbar">
        {persistent && (
          <div className="segmented" role="group" aria-label={t('details.xml.which')}>
            <button
              type="button"
              className={showInactive ? '' : 'active'}
              aria-pressed={!showInactive}
              onClick={() => setInactive(false)}
            >
              {t('details.xml.live')}
            </button>
            <button
              type="button"
              className={showInactive ? 'active' : ''}
              aria-pressed={showInactive}
              onClick={() => setInactive(true)}
            >
              {t('details.xml.inactive')}
            </button>
          </div>
        )}
        <span className="muted">{t('details.xml.readOnly')}</span>
        <button
          type="button"
          className="button small"
          disabled={xml === undefined}
          onClick={() => void copyXml()}
        >
          {copy === 'copied' ? t('common.copied') : t('common.copy')}
        </button>
      </div>
      {copy === 'selected' && <p className="hint">{t('details.xml.selectedToCopy')}</p>}
      <ErrorText message={error} />
      {xml === undefined ? (
        !error && <p className="muted">{t('details.loading')}</p>
      ) : (
        <pre
          ref={block}
          className="xml-view"
          data-testid="vm-xml"
          tabIndex={0}
          aria-label={t('details.xml.label')}
        >
          {xml}
        </pre>
      )}
    </section>
  )
}
