import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** A fresh secret for one run of web mode (256 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Compares two tokens in constant time. */
export function tokensMatch(given: string | null, expected: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The Host header values a loopback server on `port` accepts (DNS rebinding defence). */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
}

/** Why a request is refused, or undefined when it may proceed. */
export function refuseReason(
  req: IncomingMessage,
  port: number,
  options: { token?: string; requireOrigin?: boolean } = {},
): string | undefined {
  const hosts = allowedHosts(port)
  if (!hosts.has(req.headers.host ?? '')) return 'unexpected Host header'
  if (options.requireOrigin) {
    const origin = req.headers.origin
    if (!origin || !hosts.has(origin.replace(/^http:\/\//, ''))) return 'foreign Origin'
  }
  if (options.token !== undefined) {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (!tokensMatch(url.searchParams.get('token'), options.token)) return 'missing or wrong token'
  }
  return undefined
}
