import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/** One file to send: its bytes and content type. */
export interface StaticFile {
  body: Buffer
  type: string
  /** index.html must not be cached: it names the current hashed assets. */
  immutable: boolean
}

/**
 * Resolves a URL path inside `root` (the built renderer). Paths that escape the root, or
 * name a missing file, give undefined; "/" gives index.html.
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const full = normalize(join(root, relative))
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined
  try {
    const body = await readFile(full)
    return {
      body,
      type: TYPES[extname(full)] ?? 'application/octet-stream',
      immutable: full.includes(`${sep}assets${sep}`),
    }
  } catch {
    return undefined
  }
}
