import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { setLanguage } from '../../i18n'
import { settingsSelectors } from '../../stores/settings/selectors'
import { useSettingsStore } from '../../stores/settings/store'

/**
 * Applies the theme and language settings to the page: `data-theme` on <html> (absent:
 * follow the OS) and the i18n language (null: keep the one picked from the OS at start).
 */
export function useApplySettings(): void {
  const { i18n } = useTranslation()
  const theme = useSettingsStore(settingsSelectors.theme)
  const language = useSettingsStore(settingsSelectors.language)
  useEffect(() => {
    const root = document.documentElement
    if (theme === 'system') delete root.dataset.theme
    else root.dataset.theme = theme
  }, [theme])
  useEffect(() => {
    if (language && language !== i18n.language) void setLanguage(language)
  }, [language, i18n])
}
