import type { Settings } from './settings'

/**
 * Settings before the user changes anything. Kept apart from settings.ts (without zod) so
 * the page's first screen, which starts from these, evaluates none of the contract's schemas.
 */
export const DEFAULT_SETTINGS: Settings = {
  statsIntervalSeconds: 1,
  shutdownTimeoutSeconds: 60,
  theme: 'system',
  language: null,
}
