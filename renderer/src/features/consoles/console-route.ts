/**
 * Opening a console in a window (Electron) or tab (web) of its own: the same page with the
 * console named in the URL fragment (see @common/console-route). The fragment never reaches
 * a server, and web mode's token stays in it, so the new page connects like the first one.
 */
import type { ConsoleRoute } from '@common/console-route'

export { consoleRouteOf, type ConsoleKind, type ConsoleRoute } from '@common/console-route'

/** The address of a console's own window: this page, its fragment (token kept) plus the route. */
export function consoleUrl(current: string, route: ConsoleRoute): string {
  const url = new URL(current)
  const params = new URLSearchParams(url.hash.replace(/^#/, ''))
  params.set('console', route.kind)
  params.set('host', route.hostId)
  params.set('vm', route.uuid)
  url.hash = params.toString()
  return url.href
}

/**
 * Opens a console in a new window (Electron: main turns it into a console window) or tab
 * (web). The window name makes a second click focus the same VM's window.
 */
export function openConsoleWindow(route: ConsoleRoute): void {
  const name = `virtdeck-${route.kind}-${route.uuid}`
  window.open(consoleUrl(window.location.href, route), name, 'popup,width=1100,height=800')
}
