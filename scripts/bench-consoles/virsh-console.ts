/**
 * `virsh console` as a user runs it, the anchor of the serial bench: under `script`, which
 * gives it the terminal it insists on ("Cannot run interactive console without a
 * controlling TTY"), with --force so that it takes the console from whoever holds it.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { TextWatch } from './text-watch'

/** Ctrl-], virsh console's escape: detaches. */
const ESCAPE = '\x1d'

/** A running `virsh console`: what it printed, with the time each marker appeared. */
export class VirshConsole {
  private readonly child: ChildProcess
  private readonly watch = new TextWatch()

  private constructor(domain: string) {
    this.child = spawn(
      'script',
      ['-q', '-e', '-c', `virsh -c qemu:///system console ${domain} --force`, '/dev/null'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    )
    this.child.stderr!.resume()
    this.child.stdout!.on('data', (chunk: Buffer) => this.watch.feed(chunk.toString('latin1')))
  }

  /** Starts `virsh console` and waits until it says it is connected. */
  static async open(domain: string): Promise<VirshConsole> {
    const c = new VirshConsole(domain)
    await c.waitFor('Escape character is', 15_000)
    return c
  }

  /** Types text. */
  send(text: string): void {
    this.child.stdin!.write(text)
  }

  /** Resolves with performance.now() when `pattern` has been printed (now if it was). */
  waitFor(pattern: string, timeoutMs: number): Promise<number> {
    return this.watch.waitFor(pattern, timeoutMs)
  }

  /** Types `command`; resolves with the ms from `begin` to `end` printed. */
  span(command: string, begin: string, end: string, timeoutMs: number): Promise<number> {
    return this.watch.span(() => this.send(command), begin, end, timeoutMs)
  }

  /** Sends one key; resolves with the ms until its echo was printed. */
  echo(key: string, timeoutMs: number): Promise<number> {
    return this.watch.echo(() => this.send(key), key, timeoutMs)
  }

  /** Detaches (Ctrl-]) and waits for virsh to exit; kills it if it does not. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return
    const exited = once(this.child, 'exit')
    this.send(ESCAPE)
    const timer = setTimeout(() => this.child.kill(), 5000)
    await exited
    clearTimeout(timer)
  }
}
