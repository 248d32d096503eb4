import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

/** The renderer's build: renderer/ -> out/renderer, relative paths so file:// works in Electron. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  publicDir: fileURLToPath(new URL('./assets/icons', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: { '@common': fileURLToPath(new URL('./electron/common', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
  },
})
