import type { AppInfo } from '@common/contract/app'

/** Whether the UI can talk to the main process. */
export type LinkState =
  | { status: 'connecting' }
  | { status: 'ready' }
  | { status: 'no-token' }
  | { status: 'refused' }
  | { status: 'lost'; reason: string }

/** App-wide state: the link to main and the facts it reported. */
export interface AppState {
  link: LinkState
  info: AppInfo | undefined
}

/** State before the link comes up. */
export const initialAppState: AppState = { link: { status: 'connecting' }, info: undefined }
