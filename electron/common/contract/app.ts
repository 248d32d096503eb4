import { z } from 'zod'
import { method, service } from './define'

/** How the UI is being served. */
export const AppMode = z.enum(['electron', 'web'])

/** Facts about the running app the UI shows. */
export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: AppMode,
  /** The OS the main process runs on: linux, darwin, win32. */
  platform: z.string(),
})
/** Facts about the running app the UI shows. */
export type AppInfo = z.infer<typeof AppInfo>

/** App-wide facts and settings. */
export const app = service('app', {
  getInfo: method(z.void(), AppInfo),
})
