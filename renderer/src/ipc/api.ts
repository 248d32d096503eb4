import type { Api } from './client'

let current: Api | undefined

/** Installs the connected API (once, at start-up; tests install their own). */
export function setApi(api: Api): void {
  current = api
}

/** The connected API; stores call this, components never do. */
export function getApi(): Api {
  if (!current) throw new Error('The app is not connected to its main process yet.')
  return current
}
