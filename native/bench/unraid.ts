/**
 * The only Node peer, the C binding @unraid/libvirt: installed into a scratch folder (never
 * a project dependency) and built there with npm's own node-gyp, if libvirt-dev and a
 * compiler are present. Its scenarios run in unraid-peer.ts, in a child process.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SCRATCH = '/var/tmp/virtdeck-bench/unraid'
const VERSION = '2.2.1'
const MODULE_DIR = join(SCRATCH, 'node_modules', '@unraid', 'libvirt')
const PEER = fileURLToPath(new URL('./unraid-peer.ts', import.meta.url))

/** The built module's folder, or why it is not available. */
export function prepareUnraid(): { dir: string } | { skip: string } {
  if (existsSync(join(MODULE_DIR, 'build', 'Release', 'libvirt.node'))) return { dir: MODULE_DIR }
  if (spawnSync('dpkg', ['-s', 'libvirt-dev']).status !== 0) {
    return { skip: 'Debian package libvirt-dev not installed (apt-get install libvirt-dev)' }
  }
  if (spawnSync('c++', ['--version']).status !== 0) return { skip: 'no C++ compiler' }
  try {
    mkdirSync(SCRATCH, { recursive: true })
    if (!existsSync(join(SCRATCH, 'package.json'))) {
      writeFileSync(join(SCRATCH, 'package.json'), '{"name":"scratch","private":true}\n')
    }
    if (!existsSync(join(MODULE_DIR, 'package.json'))) {
      // --ignore-scripts: the build below runs with npm's bundled node-gyp instead.
      execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--ignore-scripts', `@unraid/libvirt@${VERSION}`],
        { cwd: SCRATCH, stdio: 'ignore', timeout: 180_000 },
      )
    }
    const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim()
    const gyp = join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
    execFileSync(process.execPath, [gyp, 'rebuild'], {
      cwd: MODULE_DIR,
      stdio: 'ignore',
      timeout: 300_000,
    })
  } catch (err) {
    return { skip: `install/build failed: ${err instanceof Error ? err.message : String(err)}` }
  }
  return existsSync(join(MODULE_DIR, 'build', 'Release', 'libvirt.node'))
    ? { dir: MODULE_DIR }
    : { skip: 'build produced no libvirt.node' }
}

/** Runs one scenario of unraid-peer.ts: one value per run. */
export function runUnraid(
  dir: string,
  scenario: string,
  runs: number,
  uri: string,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', PEER, dir, scenario, String(runs), uri],
      { maxBuffer: 1 << 20, timeout: 300_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`unraid ${scenario}: ${err.message}\n${stderr}`))
        else resolve((JSON.parse(stdout) as { runs: number[] }).runs)
      },
    )
  })
}
