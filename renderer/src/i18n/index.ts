import i18next, { type Resource } from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './en.json'
import { loadTranslations, STORAGE_KEY, startLanguage, type Language } from './language'

export { LANGUAGES, pickLanguage, type Language } from './language'

/** Adds a language's translations to i18next unless it has them (English always does). */
async function ensureTranslations(lng: Language): Promise<void> {
  if (lng === 'en' || i18next.hasResourceBundle(lng, 'translation')) return
  i18next.addResourceBundle(lng, 'translation', await loadTranslations(lng))
}

/** Starts i18next with English and the start language's translations (no network loads). */
export async function initI18n(): Promise<void> {
  const lng = startLanguage()
  const resources: Resource = { en: { translation: en } }
  if (lng !== 'en') resources[lng] = { translation: (await loadTranslations(lng)) as never }
  await i18next.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  })
  document.documentElement.lang = lng
}

/** Switches the UI language at run time and remembers the choice. */
export async function setLanguage(lng: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lng)
  await ensureTranslations(lng)
  document.documentElement.lang = lng
  await i18next.changeLanguage(lng)
}
