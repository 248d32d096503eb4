import { homedir } from 'node:os'
import { join } from 'node:path'

/** The product name, as Electron uses it for the user-data folder. */
export const PRODUCT_NAME = 'Virtdeck'

/**
 * The folder for settings and the host list, the same one Electron's app.getPath('userData')
 * gives: ~/.config/Virtdeck, ~/Library/Application Support/Virtdeck, %APPDATA%\Virtdeck.
 * VIRTDECK_USER_DATA_DIR overrides it (tests, portable setups).
 */
export function defaultUserDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.VIRTDECK_USER_DATA_DIR) return env.VIRTDECK_USER_DATA_DIR
  if (platform === 'win32') {
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
  }
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME)
}
