import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './en.json'
import zhCN from './zh-CN.json'

/** Languages the UI ships in. */
export const LANGUAGES = ['en', 'zh-CN'] as const
/** One of the UI's languages. */
export type Language = (typeof LANGUAGES)[number]

const STORAGE_KEY = 'virtdeck.language'

/** The saved choice, else the browser's language when we have it, else English. */
export function pickLanguage(saved: string | null, preferred: readonly string[]): Language {
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language
  for (const lang of preferred) {
    if (/^zh(-(CN|SG|Hans))?/i.test(lang)) return 'zh-CN'
    if (/^en/i.test(lang)) return 'en'
  }
  return 'en'
}

/** Starts i18next with both languages bundled (no network loads). */
export async function initI18n(): Promise<void> {
  const lng = pickLanguage(localStorage.getItem(STORAGE_KEY), navigator.languages)
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  })
  document.documentElement.lang = lng
}

/** Switches the UI language at run time and remembers the choice. */
export async function setLanguage(lng: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lng)
  document.documentElement.lang = lng
  await i18next.changeLanguage(lng)
}
