import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  SETTINGS_LIMITS,
  Settings,
  Theme,
  UiLanguage,
  type Settings as SettingsValues,
} from '@common/contract/settings'
import { Dialog } from '../../components/Dialog'
import { ErrorText } from '../../components/ErrorText'
import { useSettingsStore } from '../../stores/settings/store'

const SYSTEM = 'system'

interface Draft {
  statsIntervalSeconds: string
  shutdownTimeoutSeconds: string
  theme: SettingsValues['theme']
  language: UiLanguage | typeof SYSTEM
}

const toDraft = (s: SettingsValues): Draft => ({
  statsIntervalSeconds: String(s.statsIntervalSeconds),
  shutdownTimeoutSeconds: String(s.shutdownTimeoutSeconds),
  theme: s.theme,
  language: s.language ?? SYSTEM,
})

/** A number field's text as a valid value of setting `key`, or undefined. */
function valid(key: keyof typeof SETTINGS_LIMITS, text: string): number | undefined {
  if (text.trim() === '') return undefined
  const value = Number(text)
  return Settings.shape[key].safeParse(value).success ? value : undefined
}

/** The app's settings: stats interval, shutdown timeout, theme and language; saved in main. */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation()
  const current = useSettingsStore((s) => s.settings)
  const update = useSettingsStore((s) => s.update)
  const [draft, setDraft] = useState(() => toDraft(current))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()

  useEffect(() => {
    if (open) {
      setDraft(toDraft(current))
      setError(undefined)
    }
    // Only when the dialog opens: later pushes must not overwrite what the user is typing.
  }, [open])

  const stats = valid('statsIntervalSeconds', draft.statsIntervalSeconds)
  const shutdown = valid('shutdownTimeoutSeconds', draft.shutdownTimeoutSeconds)
  const change = (patch: Partial<Draft>) => {
    setError(undefined)
    setDraft((d) => ({ ...d, ...patch }))
  }
  const save = async () => {
    if (stats === undefined || shutdown === undefined) return
    setBusy(true)
    try {
      await update({
        statsIntervalSeconds: stats,
        shutdownTimeoutSeconds: shutdown,
        theme: draft.theme,
        language: draft.language === SYSTEM ? null : draft.language,
      })
      onClose()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const numberField = (
    key: keyof typeof SETTINGS_LIMITS,
    value: number | undefined,
    label: string,
    hint: string,
  ) => {
    const { min, max, step } = SETTINGS_LIMITS[key]
    const invalid = value === undefined
    return (
      <label className="field">
        <span>{label}</span>
        <input
          type="number"
          min={min}
          max={max}
          step={step}
          value={draft[key]}
          aria-invalid={invalid}
          onChange={(e) => change({ [key]: e.target.value })}
        />
        {invalid ? (
          <small className="error-text">{t('settings.invalid', { min, max })}</small>
        ) : (
          <small>{hint}</small>
        )}
      </label>
    )
  }

  return (
    <Dialog
      title={t('settings.title')}
      open={open}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="settings-form"
            className="button primary"
            disabled={busy || stats === undefined || shutdown === undefined}
          >
            {t('common.save')}
          </button>
        </>
      }
    >
      <form
        id="settings-form"
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        {numberField(
          'statsIntervalSeconds',
          stats,
          t('settings.statsInterval'),
          t('settings.statsIntervalHint', SETTINGS_LIMITS.statsIntervalSeconds),
        )}
        {numberField(
          'shutdownTimeoutSeconds',
          shutdown,
          t('settings.shutdownTimeout'),
          t('settings.shutdownTimeoutHint', SETTINGS_LIMITS.shutdownTimeoutSeconds),
        )}
        <label className="field">
          <span>{t('settings.theme')}</span>
          <select
            value={draft.theme}
            onChange={(e) => change({ theme: e.target.value as Draft['theme'] })}
          >
            {Theme.options.map((theme) => (
              <option key={theme} value={theme}>
                {t(`settings.themes.${theme}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('settings.language')}</span>
          <select
            value={draft.language}
            onChange={(e) => change({ language: e.target.value as Draft['language'] })}
          >
            <option value={SYSTEM}>{t('settings.languageSystem')}</option>
            {UiLanguage.options.map((lng) => (
              <option key={lng} value={lng}>
                {t(`language.${lng}`)}
              </option>
            ))}
          </select>
        </label>
        <ErrorText message={error} />
      </form>
    </Dialog>
  )
}
