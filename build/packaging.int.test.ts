import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { builtinModules, createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Packs the app the way a release does (build/electron-builder.yml), but with the `dir` target
 * and a stand-in Electron: no Electron binary can be downloaded here, and electron-builder only
 * needs an `electron` executable in the dist folder to rename. Then checks what went into
 * resources/app.asar: the built app and main's dependencies, nothing else.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CONFIG = join(ROOT, 'build', 'electron-builder.yml')
const run = promisify(execFile)

/** The parts of @electron/asar the test uses. */
interface Asar {
  listPackage(archive: string, options: { isPack: boolean }): string[]
  extractFile(archive: string, filename: string): Buffer
}

/** The parts of js-yaml the test uses. */
interface Yaml {
  load(text: string): unknown
}

/** The slice of the electron-builder config the test reads. */
interface BuilderConfig {
  appId?: string
  productName?: string
  asar?: boolean
  npmRebuild?: boolean
  directories?: { output?: string; buildResources?: string }
  linux?: { target?: unknown; executableName?: string; category?: string }
  mac?: { target?: unknown; hardenedRuntime?: boolean; entitlements?: string }
  win?: { target?: unknown }
  nsis?: { oneClick?: boolean; perMachine?: boolean }
}

interface PackageJson {
  name?: string
  productName?: string
  desktopName?: string
  version?: string
  main?: string
  scripts?: unknown
  dependencies?: Record<string, string>
  devDependencies?: unknown
  optionalDependencies?: Record<string, string>
}

/**
 * Loads a dependency of electron-builder's own (app-builder-lib's): @electron/asar and js-yaml
 * are not ours, so resolve them the way electron-builder does rather than rely on hoisting.
 */
function fromBuilder<T>(name: string): T {
  const ours = createRequire(join(ROOT, 'package.json'))
  const builder = createRequire(ours.resolve('electron-builder'))
  return createRequire(builder.resolve('app-builder-lib'))(name) as T
}

/** Target names from an electron-builder `target` value (string, list, or objects). */
function targetNames(target: unknown): string[] {
  const list: unknown[] = Array.isArray(target) ? target : [target]
  return list.map((t) =>
    typeof t === 'object' && t !== null ? String((t as { target: unknown }).target) : String(t),
  )
}

/** The package a bare import names: 'ssh2/lib/x' -> 'ssh2', '@a/b/c' -> '@a/b'. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/')
}

/** Bare imports (no Node built-ins, no electron) in a bundle esbuild wrote. */
function bareImports(code: string): string[] {
  const found = new Set<string>()
  const patterns = [/\brequire\("([^"]+)"\)/g, /\bfrom\s*"([^"]+)"/g, /\bimport\s*\(?\s*"([^"]+)"/g]
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const spec = match[1] ?? ''
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue
      const name = packageOf(spec)
      if (name === 'electron' || builtinModules.includes(name)) continue
      found.add(name)
    }
  }
  return [...found]
}

describe('packaging (electron-builder --linux dir, stand-in Electron)', () => {
  const asar = fromBuilder<Asar>('@electron/asar')
  let temp = ''
  let appDir = ''
  let archive = ''
  let files = new Set<string>()
  let config: BuilderConfig = {}

  const packed = (path: string): PackageJson =>
    JSON.parse(asar.extractFile(archive, path).toString('utf8')) as PackageJson

  beforeAll(async () => {
    config = fromBuilder<Yaml>('js-yaml').load(await readFile(CONFIG, 'utf8')) as BuilderConfig
    temp = await mkdtemp(join(tmpdir(), 'virtdeck-pack-'))
    const electronDist = join(temp, 'electron-dist')
    await mkdir(electronDist)
    await writeFile(join(electronDist, 'electron'), '#!/bin/sh\necho stand-in Electron\n')
    await chmod(join(electronDist, 'electron'), 0o755)
    const electron = JSON.parse(
      await readFile(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'),
    ) as PackageJson

    await run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--quiet'], { cwd: ROOT })
    await run(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'electron-builder', 'cli.js'),
        '--config',
        CONFIG,
        '--linux',
        'dir',
        '--x64',
        '--publish',
        'never',
        `-c.electronDist=${electronDist}`,
        `-c.electronVersion=${electron.version ?? ''}`,
        `-c.directories.output=${join(temp, 'dist')}`,
      ],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CI: '1' } },
    )
    appDir = join(temp, 'dist', 'linux-unpacked')
    archive = join(appDir, 'resources', 'app.asar')
    files = new Set(asar.listPackage(archive, { isPack: false }).map((f) => f.replace(/^\//, '')))
  })

  afterAll(async () => {
    if (temp) await rm(temp, { recursive: true, force: true })
  })

  it('declares the release targets and settings', async () => {
    expect(config.appId).toBe('io.virtdeck.app')
    expect(config.productName).toBe('Virtdeck')
    expect(config.asar).toBe(true)
    expect(config.npmRebuild).toBe(false)
    expect(config.directories).toEqual({ output: 'dist', buildResources: 'build' })
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb'])
    expect(targetNames(config.mac?.target)).toEqual(['dmg'])
    expect(targetNames(config.win?.target)).toEqual(['nsis'])
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false })
    expect(config.mac?.hardenedRuntime).toBe(true)
    const entitlements = await readFile(join(ROOT, config.mac?.entitlements ?? '-'), 'utf8')
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>')
    // The icon electron-builder derives .icns/.ico/Linux sizes from: a 1024x1024 PNG.
    const png = await readFile(join(ROOT, 'build', 'icon.png'))
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024])
  })

  it('makes the app folder with the product binary and one asar, nothing unpacked', async () => {
    expect((await stat(join(appDir, config.linux?.executableName ?? '-'))).isFile()).toBe(true)
    expect((await stat(archive)).isFile()).toBe(true)
    await expect(stat(`${archive}.unpacked`)).rejects.toThrow()
  })

  it('packs the built app and the package.json Electron reads', () => {
    for (const file of [
      'package.json',
      'out/main/index.cjs',
      'out/main/web.mjs',
      'out/preload/index.cjs',
      'out/renderer/index.html',
    ]) {
      expect(files, file).toContain(file)
    }
    const pkg = packed('package.json')
    expect(pkg.main).toBe('out/main/index.cjs')
    // Electron names the user-data folder after productName (electron/main/user-data.ts).
    expect(pkg.productName).toBe('Virtdeck')
    // Electron's Linux app_id; the .desktop file and StartupWMClass follow it.
    expect(pkg.desktopName).toBe('virtdeck.desktop')
    expect(pkg.devDependencies).toBeUndefined()
    expect(pkg.scripts).toBeUndefined()
  })

  it("ships main's dependencies and everything they depend on", async () => {
    for (const name of ['ws', 'zod', 'ssh2']) {
      expect(files, name).toContain(`node_modules/${name}/package.json`)
    }
    // Every package the built main, preload and web entry import is in the asar ...
    for (const bundle of ['out/main/index.cjs', 'out/main/web.mjs', 'out/preload/index.cjs']) {
      for (const name of bareImports(await readFile(join(ROOT, bundle), 'utf8'))) {
        expect(files, `${bundle} imports ${name}`).toContain(`node_modules/${name}/package.json`)
      }
    }
    // ... and so is each shipped package's (non-optional) dependencies, nested or hoisted.
    const manifests = [...files].filter((f) =>
      /^(.*\/)?node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(f),
    )
    for (const manifest of manifests) {
      const dir = manifest.slice(0, -'/package.json'.length)
      const pkg = packed(manifest)
      const optional = new Set(Object.keys(pkg.optionalDependencies ?? {}))
      for (const dep of Object.keys(pkg.dependencies ?? {})) {
        if (optional.has(dep)) continue
        const nested = `${dir}/node_modules/${dep}/package.json`
        const hoisted = `node_modules/${dep}/package.json`
        expect(files.has(nested) || files.has(hoisted), `${dir} needs ${dep}`).toBe(true)
      }
    }
  })

  it('leaves out sources, tests, build leftovers, dev tools and native addons', () => {
    const list = [...files]
    const sourceDirs = ['native/', 'electron/', 'renderer/', 'e2e/', 'scripts/', 'build/']
    const leftovers = ['.tsbuild/', 'test-results/', 'dist/', 'assets/', 'node_modules/.bin/']
    for (const prefix of [...sourceDirs, ...leftovers]) {
      expect(
        list.filter((f) => f.startsWith(prefix)),
        prefix,
      ).toEqual([])
    }
    expect(list.filter((f) => /\.test\.tsx?$|\.spec\.ts$|tsconfig.*\.json$/.test(f))).toEqual([])
    expect(list.filter((f) => f.startsWith('out/') && f.endsWith('.map'))).toEqual([])
    expect(list.filter((f) => f.endsWith('.node'))).toEqual([])
    const devTools = ['vite', 'vitest', 'typescript', 'electron', 'electron-builder', 'esbuild']
    // Renderer-only packages: Vite bundles them into out/renderer.
    const rendererOnly = ['react', 'react-dom', 'scheduler', 'i18next', 'react-i18next', 'zustand']
    for (const name of [
      ...devTools,
      ...rendererOnly,
      '@babel/runtime',
      '@types/node',
      'cpu-features',
    ]) {
      expect(files, name).not.toContain(`node_modules/${name}/package.json`)
    }
  })
})
