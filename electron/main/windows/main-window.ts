import { BrowserWindow, session, shell } from 'electron'
import { join } from 'node:path'
import { contentSecurityPolicy } from './csp'
import { consoleWindowKey, consoleWindowUrl } from './own-page'

/** The file URL prefix of our own pages; anything else is foreign. */
export function rendererUrl(rendererDir: string): string {
  return `file://${join(rendererDir, 'index.html')}`
}

/**
 * Applies the CSP to every response and denies every permission request but full screen
 * (the graphical console's Full screen button; only our own page ever loads).
 */
export function hardenSession(): void {
  const csp = contentSecurityPolicy()
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permission === 'fullscreen'),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
}

/** What every app window needs: the preload script and the built renderer. */
export interface WindowOptions {
  preload: string
  rendererDir: string
}

/**
 * Creates the main window: sandboxed, context-isolated, no Node in the page; navigation and
 * new windows are refused (links to the web open in the system browser instead), except a
 * window.open of our own page naming a console, which becomes a console window.
 */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const home = rendererUrl(options.rendererDir)
  return createAppWindow(options, home, { width: 1280, height: 800 })
}

/** Open console windows by console (see consoleWindowKey). */
const consoleWindows = new Map<string, BrowserWindow>()

/**
 * A console in a window of its own: the same page and the same hardening as the main
 * window; the page shows only the console its URL fragment names (it asks for its own IPC
 * port, which main grants to any top frame of our page). A console that has a window
 * already gets that window focused instead of a second one.
 */
export function createConsoleWindow(options: WindowOptions, url: string): BrowserWindow {
  const key = consoleWindowKey(url)
  const open = key === undefined ? undefined : consoleWindows.get(key)
  if (open && !open.isDestroyed()) {
    if (open.isMinimized()) open.restore()
    open.focus()
    return open
  }
  const win = createAppWindow(options, url, { width: 1100, height: 800 })
  if (key !== undefined) {
    consoleWindows.set(key, win)
    win.once('closed', () => {
      if (consoleWindows.get(key) === win) consoleWindows.delete(key)
    })
  }
  return win
}

function createAppWindow(
  options: WindowOptions,
  url: string,
  size: { width: number; height: number },
): BrowserWindow {
  const win = new BrowserWindow({
    ...size,
    minWidth: 640,
    minHeight: 400,
    show: false,
    title: 'Virtdeck',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  })
  const home = rendererUrl(options.rendererDir)
  win.webContents.on('will-navigate', (event, target) => {
    if (target !== url) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    const consoleUrl = consoleWindowUrl(target, home)
    if (consoleUrl) createConsoleWindow(options, consoleUrl)
    else if (/^https:\/\//.test(target)) void shell.openExternal(target)
    return { action: 'deny' }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(url)
  return win
}
