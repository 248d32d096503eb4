/**
 * A console in a window of its own is the app's page with the console named in the URL
 * fragment: `#console=vnc&host=<id>&vm=<uuid>` (or `serial`, `monitor`; web mode keeps its
 * `token=` beside it). The page reads it to show only that console; Electron's main process
 * reads it to decide that a window.open of its own page may become a console window.
 */

/** Console kinds that can open on their own. */
export const CONSOLE_KINDS = ['vnc', 'serial', 'monitor'] as const
/** A console kind that can open on its own. */
export type ConsoleKind = (typeof CONSOLE_KINDS)[number]

/** Which console a detached window shows. */
export interface ConsoleRoute {
  kind: ConsoleKind
  hostId: string
  uuid: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The `name=value` pairs of a fragment (form encoding: `+` is a space), last one wins. */
export function fragmentParams(hash: string): Map<string, string> {
  const params = new Map<string, string>()
  for (const pair of hash.replace(/^#/, '').split('&')) {
    if (pair === '') continue
    const [name = '', value = ''] = pair.split('=', 2)
    try {
      const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '))
      params.set(decode(name), decode(value))
    } catch {
      // A malformed escape: not one of ours.
    }
  }
  return params
}

/** The console a fragment names, or undefined for the normal app. */
export function consoleRouteOf(hash: string): ConsoleRoute | undefined {
  const params = fragmentParams(hash)
  const kind = params.get('console')
  const hostId = params.get('host')
  const uuid = params.get('vm')
  if (!kind || !(CONSOLE_KINDS as readonly string[]).includes(kind)) return undefined
  if (!hostId || hostId.length > 64 || !uuid || !UUID.test(uuid)) return undefined
  return { kind: kind as ConsoleKind, hostId, uuid }
}
