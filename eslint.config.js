// Lint rules, including the layer boundaries of the architecture:
//   renderer -> electron/common <- electron/main -> native
// Each layer lists the imports it must never make; tsc -b enforces the same split with
// per-layer tsconfigs (the renderer has no node types, common has neither node nor DOM).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const nodeBuiltins = ['node:*', 'fs', 'net', 'tls', 'path', 'os', 'child_process', 'crypto', 'http']

/** Builds a no-restricted-imports rule from glob groups and a message per group. */
function forbid(groups) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: groups.map(([group, message]) => ({ group, message })) },
    ],
  }
}

const notElectron = [['electron', 'electron/*'], 'This layer must not import Electron.']
const notReact = [['react', 'react-dom', 'react/*', 'react-dom/*'], 'This layer has no UI.']
const notNode = [nodeBuiltins, 'This layer runs without Node: no Node built-ins.']
const notRenderer = [['**/renderer/**'], 'Only the renderer may import renderer code.']
const notMain = [['**/electron/main/**', '**/main/**'], 'Only main may import main code.']
const notNative = [
  ['@native', '@native/*', '**/native/**'],
  'Only electron/main may use the libvirt client, and only through @native.',
]
const nativeInternals = [
  ['**/native/**'],
  'Import the libvirt client through its public surface, @native.',
]
const notCommonAlias = [['@common/*', '**/electron/**'], 'native/ is below the app layers.']

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      '.tsbuild/',
      'native/src/protocol/generated/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['native/**/*.ts'],
    rules: forbid([notElectron, notReact, notCommonAlias, notRenderer]),
  },
  {
    files: ['electron/common/**/*.ts'],
    rules: forbid([notElectron, notReact, notNode, notNative, notMain, notRenderer]),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: forbid([notReact, notRenderer, nativeInternals]),
  },
  {
    // Integration tests may use native's test fixtures (private daemons, test PKI).
    files: ['electron/main/**/*.int.test.ts'],
    rules: forbid([
      notReact,
      notRenderer,
      [['**/native/*', '!**/native/test'], nativeInternals[1]],
    ]),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: forbid([notReact, notNode, notNative, notMain, notRenderer]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: forbid([notElectron, notNode, notNative, notMain]),
  },
)
