import { useEffect, useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'

/** Props of PathDialog. */
export interface PathDialogProps {
  title: string
  body: string
  submitLabel: string
  /** The path the field starts with; undefined keeps the dialog closed. */
  initialPath: string | undefined
  onSubmit(path: string): Promise<void>
  onClose(): void
  /** Shown while the action runs (a save's progress bar). */
  progress?: ReactNode
}

/**
 * Asks for a file path on the host (save to / restore from). The dialog stays open with
 * libvirt's error when the action fails, so the user can fix the path.
 */
export function PathDialog(props: PathDialogProps) {
  const { t } = useTranslation()
  const [path, setPath] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const formId = useId()
  useEffect(() => {
    setPath(props.initialPath ?? '')
    setError(undefined)
  }, [props.initialPath])
  const submit = async () => {
    setBusy(true)
    setError(undefined)
    try {
      await props.onSubmit(path.trim())
      props.onClose()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog
      title={props.title}
      open={props.initialPath !== undefined}
      onClose={props.onClose}
      actions={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form={formId}
            className="button primary"
            disabled={busy || path.trim() === ''}
          >
            {busy ? t('vm.working') : props.submitLabel}
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <p>{props.body}</p>
        <label className="field">
          <span>{t('vm.path')}</span>
          <input
            autoFocus
            spellCheck={false}
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        {busy && props.progress}
        <ErrorText message={error} />
      </form>
    </Dialog>
  )
}
