import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const alias = {
  '@common': fileURLToPath(new URL('./electron/common', import.meta.url)),
  '@native': fileURLToPath(new URL('./native/src/index.ts', import.meta.url)),
}

const exclude = ['**/node_modules/**', 'out/**', '.tsbuild/**']

/**
 * Four suites: unit (node), unit-dom (renderer, jsdom), integration (the real test host)
 * and e2e (the real UI in Debian's Chromium). scripts/test.mjs runs them in that order.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          environment: 'node',
          include: ['{native,electron,scripts}/**/*.test.ts'],
          exclude: [...exclude, '**/*.int.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'unit-dom',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          exclude,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          environment: 'node',
          include: ['**/*.int.test.ts'],
          exclude,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/specs/**/*.spec.ts'],
          exclude,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
