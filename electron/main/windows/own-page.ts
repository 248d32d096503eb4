import { consoleRouteOf } from '@common/console-route'

/**
 * Whether a URL is the app's own page. The fragment does not count: a detached console is
 * the same page with the console named after the `#`.
 */
export function isOwnPage(url: string | undefined, home: string): boolean {
  if (url === undefined) return false
  const hash = url.indexOf('#')
  return (hash < 0 ? url : url.slice(0, hash)) === home
}

/**
 * The address of a console window, when a window.open asks for our own page with a valid
 * console route in its fragment (see @common/console-route); undefined for anything else.
 */
export function consoleWindowUrl(url: string, home: string): string | undefined {
  const hash = url.indexOf('#')
  if (hash < 0 || !isOwnPage(url, home)) return undefined
  return consoleRouteOf(url.slice(hash)) ? url : undefined
}

/**
 * Which console a console window shows, as a key (`kind/host/vm`): one window per console,
 * so opening it again focuses the window that shows it. Undefined for a URL without a route.
 */
export function consoleWindowKey(url: string): string | undefined {
  const hash = url.indexOf('#')
  const route = hash < 0 ? undefined : consoleRouteOf(url.slice(hash))
  return route && `${route.kind}/${route.hostId}/${route.uuid}`
}
