// Builds the app into out/: the renderer with Vite, main/preload/web entry with esbuild.
//   node scripts/build.mjs [--quiet]
import { build as esbuild } from 'esbuild'
import { build as viteBuild } from 'vite'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const quiet = process.argv.includes('--quiet')

/** Builds everything; resolves when out/ is complete. */
export async function buildApp({ silent = quiet } = {}) {
  const started = Date.now()
  const { version } = JSON.parse(await readFile(`${root}/package.json`, 'utf8'))
  await viteBuild({
    configFile: `${root}/vite.config.ts`,
    logLevel: silent ? 'error' : 'warn',
  })
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    packages: 'external',
    alias: { '@common': './electron/common', '@native': './native/src/index.ts' },
    define: { VIRTDECK_VERSION: JSON.stringify(version) },
    logLevel: 'warning',
  }
  await Promise.all([
    // The Electron main process and preload are CommonJS (Electron's sandboxed preload must be).
    esbuild({
      ...common,
      entryPoints: ['electron/main/index.ts'],
      outfile: 'out/main/index.cjs',
      format: 'cjs',
      external: ['electron'],
    }),
    esbuild({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: 'out/preload/index.cjs',
      format: 'cjs',
      external: ['electron'],
    }),
    // Web mode runs the same services under plain Node.
    esbuild({
      ...common,
      entryPoints: ['electron/main/web/cli.ts'],
      outfile: 'out/main/web.mjs',
      format: 'esm',
    }),
  ])
  if (!silent)
    console.log(`virtdeck: built out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildApp().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
