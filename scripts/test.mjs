// `npm test`: the whole suite, in order: test host, lint, type check, generated code, unit,
// integration, e2e. Every step runs even when an earlier one failed, so one run shows
// everything; the last line is the totals CI reads: "N passed, N failed".
//   node scripts/test.mjs [--only lint,typecheck,generated,unit,integration,e2e]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const hostJson = process.env.VIRTDECK_HOST_JSON ?? '/var/tmp/virtdeck-test-host/host.json'
const reports = join(root, 'test-results', 'vitest')
const onlyArg = process.argv.find((a) => a.startsWith('--only'))
const only = onlyArg
  ? (onlyArg.split('=')[1] ?? process.argv[process.argv.indexOf(onlyArg) + 1]).split(',')
  : undefined
const wanted = (step) => !only || only.includes(step)

/** Runs a command with our stdio; returns its exit code. */
function run(command, args, env = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  return result.status ?? 1
}

function banner(text) {
  console.log(`\n=== ${text} ===`)
}

/** Brings the test host up as root (idempotent); otherwise checks it is there. */
function ensureTestHost() {
  banner('test host')
  if (process.getuid?.() === 0) {
    if (run('bash', ['scripts/test-host/up.sh']) !== 0) {
      console.error('The test host did not come up; see the lines above.')
      process.exit(1)
    }
    return
  }
  const host = existsSync(hostJson) ? JSON.parse(readFileSync(hostJson, 'utf8')) : undefined
  if (!host || !existsSync(host.system?.socket ?? '/nonexistent')) {
    console.error(
      'The test host is not up, and bringing it up needs root. Run:\n' +
        '  sudo scripts/test-host/up.sh\n' +
        'then run npm test again (it uses the host as it finds it).',
    )
    process.exit(2)
  }
  console.log(`using the test host described in ${hostJson}`)
}

const results = []

/** A check that counts as one test: lint, type check, generated code. */
function check(name, command, args) {
  if (!wanted(name)) return
  banner(name)
  const ok = run(command, args) === 0
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 })
}

/** A vitest suite: counts come from its JSON report. */
function suite(name, projects) {
  if (!wanted(name)) return
  banner(name)
  const report = join(reports, `${name}.json`)
  rmSync(report, { force: true })
  const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p])]
  args.push('--reporter=default', '--reporter=json', `--outputFile.json=${report}`)
  const code = run('npx', args)
  let passed = 0
  let failed = 0
  if (existsSync(report)) {
    const data = JSON.parse(readFileSync(report, 'utf8'))
    passed = data.numPassedTests
    failed = data.numFailedTests
    // A suite that crashed outside its tests (import error, unhandled rejection) still fails.
    if (code !== 0 && failed === 0) failed = 1
  } else if (code !== 0) {
    failed = 1
  }
  results.push({ name, passed, failed })
}

mkdirSync(reports, { recursive: true })
if (wanted('integration') || wanted('e2e')) ensureTestHost()
check('lint', 'npx', ['eslint', '.'])
check('format', 'npx', ['prettier', '--check', '.'])
check('typecheck', 'npx', ['tsc', '-b'])
if (existsSync(join(root, 'native', 'codegen', 'generate.ts'))) {
  check('generated', 'npm', ['run', '--silent', 'check:generated'])
}
suite('unit', ['unit', 'unit-dom'])
suite('integration', ['integration'])
if (wanted('e2e')) {
  // e2e drives the built app; build once here so every spec can skip it.
  if (run('node', ['scripts/build.mjs']) !== 0)
    results.push({ name: 'build', passed: 0, failed: 1 })
}
suite('e2e', ['e2e'])

banner('summary')
for (const r of results) console.log(`${r.name.padEnd(12)} ${r.passed} passed, ${r.failed} failed`)
const passed = results.reduce((n, r) => n + r.passed, 0)
const failed = results.reduce((n, r) => n + r.failed, 0)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 || results.length === 0 ? 1 : 0)
