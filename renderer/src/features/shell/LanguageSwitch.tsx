import { useTranslation } from 'react-i18next'
import { LANGUAGES, setLanguage, type Language } from '../../i18n'
import { useSettingsStore } from '../../stores/settings/store'

/** Switches the UI between English and Simplified Chinese at run time; the choice is a setting. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  const update = useSettingsStore((s) => s.update)
  const choose = (lng: Language) => {
    void setLanguage(lng)
    // Saved in main (settings.json); if that fails the switch still holds for this window.
    update({ language: lng }).catch(() => undefined)
  }
  return (
    <label className="language-switch">
      <span>{t('language.label')}</span>
      <select
        value={i18n.language}
        onChange={(e) => choose(e.target.value as Language)}
        data-testid="language"
      >
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng}>
            {t(`language.${lng}`)}
          </option>
        ))}
      </select>
    </label>
  )
}
