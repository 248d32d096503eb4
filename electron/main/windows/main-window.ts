import { BrowserWindow, session, shell } from 'electron'
import { join } from 'node:path'
import { contentSecurityPolicy } from './csp'

/** The file URL prefix of our own pages; anything else is foreign. */
export function rendererUrl(rendererDir: string): string {
  return `file://${join(rendererDir, 'index.html')}`
}

/** Applies the CSP to every response and denies every permission request. */
export function hardenSession(): void {
  const csp = contentSecurityPolicy()
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
}

/**
 * Creates the main window: sandboxed, context-isolated, no Node in the page; navigation and
 * new windows are refused (links to the web open in the system browser instead).
 */
export function createMainWindow(options: { preload: string; rendererDir: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 500,
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
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== home) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(home)
  return win
}
