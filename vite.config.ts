import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

/** Modules of the first screen: the renderer's own and the libraries it renders with. */
const FIRST_SCREEN =
  /renderer[\\/]src[\\/]|electron[\\/]common[\\/](console-route|contract[\\/](vm-states|settings-defaults))\.ts|node_modules[\\/](react|react-dom|scheduler|zustand|i18next|react-i18next|use-sync-external-store)[\\/]/
/**
 * Of those, what stays out of the first screen's chunk: the entry and the link it opens
 * (loaded first, on their own), and the screens loaded on demand with what only they use.
 */
const LAZY =
  /renderer[\\/]src[\\/](main\.tsx|styles\.css|i18n[\\/](language\.ts|zh-CN\.json)|ipc[\\/](client|transports|held-transport|service-client|first-contact)\.ts|features[\\/](consoles[\\/](?!console-route)|vm-details[\\/])|features[\\/]settings[\\/]SettingsDialog|stores[\\/](consoles|graphics|vm-details)[\\/]|ipc[\\/]byte-socket)/

/**
 * The page's entry (renderer/src/main.tsx) opens the link to main, then imports the UI
 * (src/start.tsx) dynamically. This names the UI's chunks in index.html as modulepreload
 * links too, so the browser fetches and compiles them alongside the entry instead of after it.
 */
function preloadStart(): Plugin {
  return {
    name: 'virtdeck-preload-start',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle, chunk }) {
        if (!bundle || !chunk) return
        const start = chunk.dynamicImports
          .map((file) => bundle[file])
          .find((c) => c?.type === 'chunk' && c.facadeModuleId?.endsWith('/src/start.tsx'))
        if (start?.type !== 'chunk') throw new Error('preloadStart: no chunk for src/start.tsx')
        const files = new Set<string>()
        const visit = (file: string) => {
          const c = bundle[file]
          if (c?.type !== 'chunk' || files.has(file)) return
          files.add(file)
          c.imports.forEach(visit)
        }
        visit(start.fileName)
        for (const file of [chunk.fileName, ...chunk.imports]) files.delete(file)
        return [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head' as const,
        }))
      },
    },
  }
}

/** The renderer's build: renderer/ -> out/renderer, relative paths so file:// works in Electron. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  publicDir: fileURLToPath(new URL('./assets/icons', import.meta.url)),
  plugins: [react(), preloadStart()],
  resolve: {
    alias: { '@common': fileURLToPath(new URL('./electron/common', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    // Chromium (and so Electron) preloads modules natively.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // The first screen's code in one chunk (with what the lazy screens share with
            // it), rather than a dozen small shared chunks fetched in turns.
            {
              name: 'start',
              test: (id: string) => FIRST_SCREEN.test(id) && !LAZY.test(id),
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
})
