import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { createAppServices } from '../app-services'
import { defaultUserDataDir } from '../user-data'
import { startWebServer } from './server'

/**
 * Web mode: serves the UI to a browser on 127.0.0.1 with a per-run token. Used where the
 * Electron binary is absent, and by the end-to-end tests.
 *
 *   node out/main/web.mjs [--port N] [--user-data-dir DIR] [--renderer-dir DIR]
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.VIRTDECK_PORT ?? '0' },
      'user-data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535 (got "${values.port}")`)
  }
  const here = dirname(fileURLToPath(import.meta.url))
  const services = await createAppServices({
    name: 'Virtdeck',
    version: VIRTDECK_VERSION,
    mode: 'web',
    userDataDir: values['user-data-dir'] ?? defaultUserDataDir(),
  })
  const server = await startWebServer({
    registry: services.registry,
    channels: services.channels,
    rendererDir: values['renderer-dir'] ?? join(here, '..', 'renderer'),
    port,
  })
  // Tests and scripts read this exact line to find the URL.
  console.log(`Virtdeck is running in web mode. Open: ${server.url}`)
  const stop = () => {
    void server.close().then(() => {
      services.dispose()
      process.exit(0)
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((err: unknown) => {
  console.error(`virtdeck: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
