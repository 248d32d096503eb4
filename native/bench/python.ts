/**
 * Drives py_bench.py (python3-libvirt, Debian, /usr/bin/python3) as a child process that
 * stays up for the whole bench, one JSON line per command, so that its runs can alternate
 * with ours.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'

/** One timed run: `value` in the scenario's unit, plus scenario extras. */
export interface PythonRun {
  value: number
  call?: number
  walk?: number
  domains?: number
}

const PYTHON = '/usr/bin/python3'
const SCRIPT = fileURLToPath(new URL('./py_bench.py', import.meta.url))

/** A running py_bench.py. */
export class PythonBench {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>
  private readonly replies: ((line: string) => void)[] = []

  private constructor() {
    this.child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] })
    createInterface({ input: this.child.stdout }).on('line', (line) => this.replies.shift()?.(line))
  }

  /** Starts it, or returns null when python3-libvirt is not there. */
  static async start(): Promise<{ bench: PythonBench; version: string } | null> {
    if (!existsSync(PYTHON)) return null
    const bench = new PythonBench()
    try {
      const { value } = (await bench.send({ cmd: 'version' })) as { value: number }
      return { bench, version: String(value) }
    } catch {
      bench.stop()
      return null
    }
  }

  private send(msg: object): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onExit = (): void => reject(new Error('py_bench.py exited'))
      this.child.once('exit', onExit)
      this.replies.push((line) => {
        this.child.off('exit', onExit)
        const out = JSON.parse(line) as { error?: string }
        if (out.error) reject(new Error(`py_bench.py: ${out.error}`))
        else resolve(out)
      })
      this.child.stdin.write(`${JSON.stringify(msg)}\n`)
    })
  }

  /** Opens what `scenario` needs (untimed). */
  async setup(scenario: string, uri: string): Promise<void> {
    await this.send({ cmd: 'setup', scenario, uri })
  }

  /** One timed run of the current scenario. */
  async run(): Promise<PythonRun> {
    return (await this.send({ cmd: 'run' })) as PythonRun
  }

  /** Closes the current scenario's connections. */
  async teardown(): Promise<void> {
    await this.send({ cmd: 'teardown' })
  }

  /** Ends the python process. */
  stop(): void {
    this.child.stdin.end()
  }
}
