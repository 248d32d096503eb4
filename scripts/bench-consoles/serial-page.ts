/**
 * The bench's page for the serial console: the app's own SerialSession and xterm.js terminal
 * (renderer/src/features/consoles) on a byte channel, with probes between the two that note
 * when text arrived from the channel and when xterm had written it (its write callback, which
 * is also when the session acknowledges). Bundled by page-bundle.ts; driven through
 * `window.bench`.
 */
import type { SerialDevice } from '@common/contract/consoles'
import { SerialSession } from '../../renderer/src/features/consoles/serial-session'
import { createTerminal } from '../../renderer/src/features/consoles/serial-terminal'
import { openByteSocket } from '../../renderer/src/ipc/byte-socket'
import { TextWatch } from './text-watch'

/** What the bench calls in the page. */
export interface SerialBenchApi {
  /** Opens the console by ticket; resolves once connected. */
  start(ticket: string): Promise<void>
  /** Closes it. */
  stop(): void
  /** Types text into the console. */
  send(text: string): void
  /** Resolves with performance.now() once `pattern` has been written (or now if it was). */
  waitFor(pattern: string, timeoutMs: number): Promise<number>
  /** Types `command` and resolves with the ms from `begin` to `end` written, both awaited. */
  span(command: string, begin: string, end: string, timeoutMs: number): Promise<number>
  /** The last span as the page received it (before xterm wrote it), in ms. */
  lastArrivalSpan(): number
  /** Sends one key and resolves with the ms until its echo has been written. */
  echo(key: string, timeoutMs: number): Promise<number>
  /** Bytes written by the terminal so far. */
  written(): number
}

declare global {
  interface Window {
    bench: SerialBenchApi
  }
}

const SERIAL0: SerialDevice = { kind: 'serial', alias: 'serial0', type: 'pty', openable: true }
const decoder = new TextDecoder('latin1')

/** Watches a byte flow for text (TextWatch) and counts its bytes. */
class Probe extends TextWatch {
  bytes = 0

  feedBytes(data: Uint8Array): void {
    this.bytes += data.byteLength
    this.feed(decoder.decode(data))
  }
}

let session: SerialSession | undefined
let lastArrivalSpan = NaN
/** What the session handed to the terminal, and what the terminal has written. */
const arrived = new Probe()
const written = new Probe()

const terminal = createTerminal(document.getElementById('screen')!, (data) => session?.send(data))
const sink = {
  write(data: Uint8Array, done: () => void) {
    arrived.feedBytes(data)
    terminal.write(data, () => {
      written.feedBytes(data)
      done()
    })
  },
}

window.bench = {
  start(ticket) {
    session?.dispose()
    session = new SerialSession(
      sink,
      {
        devices: () => Promise.resolve([SERIAL0]),
        open: () => Promise.resolve(openByteSocket(ticket, { autoAck: false })),
      },
      true,
    )
    const current = session
    return new Promise((resolve, reject) => {
      const unsubscribe = current.state.subscribe(({ status }) => {
        if (status.kind === 'connected') resolve()
        else if (status.kind === 'failed' || status.kind === 'closed') {
          reject(new Error(`console ${status.kind}: ${JSON.stringify(status)}`))
        } else return
        unsubscribe()
      })
    })
  },
  stop() {
    session?.dispose()
    session = undefined
  },
  send(text) {
    session?.send(text)
  },
  waitFor: (pattern, timeoutMs) => written.waitFor(pattern, timeoutMs),
  async span(command, begin, end, timeoutMs) {
    arrived.clear()
    written.clear()
    const marks = [
      written.waitFor(begin, timeoutMs),
      written.waitFor(end, timeoutMs),
      arrived.waitFor(begin, timeoutMs),
      arrived.waitFor(end, timeoutMs),
    ]
    session?.send(command)
    const [a, b, c, d] = await Promise.all(marks)
    lastArrivalSpan = d! - c!
    return b! - a!
  },
  lastArrivalSpan: () => lastArrivalSpan,
  async echo(key, timeoutMs) {
    written.clear()
    const echoed = written.waitFor(key, timeoutMs)
    const sent = performance.now()
    session?.send(key)
    return (await echoed) - sent
  },
  written: () => written.bytes,
}
