/**
 * The app in web mode, as the bench runs it: a build snapshot of out/ (so a rebuild by a test
 * running at the same time cannot change the app under measurement), and `node web.mjs` from
 * it with a user-data folder whose hosts.json already lists the hosts, so main connects them
 * at start. The bench starts node itself (not through `npm run web`) to know its process id.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Where the bench keeps its build snapshot and scratch folders (git-ignored). */
export const WORK_DIR = join(ROOT, 'test-results', 'bench-app')
/** The build snapshot the bench runs (web.mjs, renderer). */
export const SNAPSHOT = join(WORK_DIR, 'build')

/** Builds the app (scripts/build.mjs) and copies what web mode runs into the snapshot. */
export function buildSnapshot(): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}${built.stderr}`)
  rmSync(SNAPSHOT, { recursive: true, force: true })
  mkdirSync(join(SNAPSHOT, 'main'), { recursive: true })
  // web.mjs keeps its packages external: under the repository, node finds node_modules.
  for (const f of ['web.mjs', 'web.mjs.map']) {
    cpSync(join(ROOT, 'out', 'main', f), join(SNAPSHOT, 'main', f))
  }
  cpSync(join(ROOT, 'out', 'renderer'), join(SNAPSHOT, 'renderer'), { recursive: true })
}

const PROFILING_RENDERER = 'renderer-profiling'

/**
 * Builds the renderer once more, unminified and with source maps, into the snapshot, so a
 * CPU profile of the page names functions and files. Used only to explain a missed target.
 */
export async function buildProfilingRenderer(): Promise<string> {
  const { build } = await import('vite')
  const outDir = join(SNAPSHOT, PROFILING_RENDERER)
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, minify: false, sourcemap: true },
  })
  return outDir
}

/** A host for hosts.json. */
export interface BenchHost {
  name: string
  uri: string
}

/** Options for {@link startWebApp}. */
export interface WebAppOptions {
  hosts: BenchHost[]
  /** Extra node flags (e.g. --inspect=127.0.0.1:0). */
  nodeFlags?: string[]
  /** Serve the unminified renderer with source maps ({@link buildProfilingRenderer}). */
  profiling?: boolean
}

/** A running web-mode server. */
export interface WebApp {
  pid: number
  url: string
  /** Epoch ms just before the process was spawned. */
  spawnedAt: number
  /** hosts.json ids by host name. */
  hostIds: Map<string, string>
  /** Everything it printed (stdout and stderr). */
  output(): string
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and removes its user-data folder. */
  stop(): Promise<void>
}

const running = new Set<WebApp>()

/** Stops every server still running (for the bench's exit paths). */
export async function stopAllWebApps(): Promise<void> {
  await Promise.all([...running].map((a) => a.stop()))
}

/**
 * Writes hosts.json in the format of electron/main/services/hosts/host-registry.ts, starts
 * the snapshot's web.mjs and waits for the line with its address.
 */
export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  mkdirSync(WORK_DIR, { recursive: true })
  const userDataDir = mkdtempSync(join(WORK_DIR, 'user-data-'))
  const hostIds = new Map<string, string>()
  const hosts = options.hosts.map((h) => {
    const id = randomUUID()
    hostIds.set(h.name, id)
    return { id, name: h.name, uri: h.uri, addedAt: new Date().toISOString() }
  })
  writeFileSync(join(userDataDir, 'hosts.json'), `${JSON.stringify({ version: 1, hosts })}\n`, {
    mode: 0o600,
  })
  const spawnedAt = performance.timeOrigin + performance.now()
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      join(SNAPSHOT, 'main', 'web.mjs'),
      '--user-data-dir',
      userDataDir,
      '--renderer-dir',
      join(SNAPSHOT, options.profiling ? PROFILING_RENDERER : 'renderer'),
    ],
    { cwd: WORK_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const cleanup = () => rmSync(userDataDir, { recursive: true, force: true })
  let url: string
  try {
    url = await waitForUrl(child, () => output)
  } catch (err) {
    await stopChild(child)
    cleanup()
    throw err
  }
  const app: WebApp = {
    pid: child.pid!,
    url,
    spawnedAt,
    hostIds,
    output: () => output,
    stop: async () => {
      running.delete(app)
      await stopChild(child)
      cleanup()
    },
  }
  running.add(app)
  return app
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${output()}`)), 30_000)
    const check = () => {
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output())
      if (match?.[1]) {
        clearTimeout(timer)
        child.stdout?.off('data', check)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`web.mjs exited (${code}) before printing a URL:\n${output()}`))
    })
  })
}

/** SIGTERM (web.mjs closes its server and exits), SIGKILL if it has not after 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
