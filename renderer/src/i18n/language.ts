/** Languages the UI ships in. */
export const LANGUAGES = ['en', 'zh-CN'] as const
/** One of the UI's languages. */
export type Language = (typeof LANGUAGES)[number]

/** Where the user's choice is kept (the page's localStorage). */
export const STORAGE_KEY = 'virtdeck.language'

/** The saved choice, else the browser's language when we have it, else English. */
export function pickLanguage(saved: string | null, preferred: readonly string[]): Language {
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language
  for (const lang of preferred) {
    if (/^zh(-(CN|SG|Hans))?/i.test(lang)) return 'zh-CN'
    if (/^en/i.test(lang)) return 'en'
  }
  return 'en'
}

/** The language the UI starts in here: the saved choice or the browser's. */
export function startLanguage(): Language {
  return pickLanguage(localStorage.getItem(STORAGE_KEY), navigator.languages)
}

/**
 * The translations of a language other than English (bundled with the UI), loaded when first
 * needed: an English page does not parse the Chinese strings. The entry starts the load early
 * for a page that starts in Chinese; a second call gets the same module.
 */
export function loadTranslations(lng: Exclude<Language, 'en'>): Promise<object> {
  switch (lng) {
    case 'zh-CN':
      return import('./zh-CN.json').then((m) => m.default)
  }
}
