// `npm start`: builds the app, then opens the desktop window when Electron can run here, or
// serves the same UI in web mode (loopback address + one-time token) when it cannot.
//   node scripts/start.mjs [--web] [--no-build] [-- extra args for web mode]
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from './build.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const wantWeb = args.includes('--web')
const passThrough = args.includes('--') ? args.slice(args.indexOf('--') + 1) : []

/**
 * The Electron binary's path, or why it cannot be used. Electron 45 fetches its binary on
 * first use; we try that once, quietly, and fall back to web mode when it fails.
 */
function findElectron() {
  const dir = join(root, 'node_modules', 'electron')
  const binary = () => {
    const pathFile = join(dir, 'path.txt')
    if (!existsSync(pathFile)) return undefined
    const full = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(full) ? full : undefined
  }
  if (binary()) return { path: binary() }
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { why: 'its binary is not installed' }
  const fetched = spawnSync(process.execPath, [join(dir, 'install.js')], {
    stdio: 'pipe',
    timeout: 180_000,
  })
  const path = fetched.status === 0 ? binary() : undefined
  return path ? { path } : { why: 'its binary could not be downloaded' }
}

/** Runs a child with our stdio, forwarding Ctrl+C, and exits with its code. */
function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

if (!args.includes('--no-build')) await buildApp({ silent: true })

const noDisplay =
  process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
const electron = wantWeb
  ? { why: 'web mode was asked for' }
  : noDisplay
    ? { why: 'there is no graphical display' }
    : findElectron()
if (electron.path) {
  run(electron.path, ['.'])
} else {
  if (!wantWeb) {
    console.log(`Electron cannot start here (${electron.why}): serving the UI in web mode instead.`)
  }
  run(process.execPath, ['out/main/web.mjs', ...passThrough])
}
