/**
 * The floor of a sequential call: a raw round trip over a unix socket to a tiny echo server
 * in another Node process, with a packet the size of a connectGetLibVersion call (28 bytes).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Scenario } from './ours'

const SERVER = `
const net = require('node:net')
const server = net.createServer((c) => c.on('data', (d) => c.write(d)))
server.listen(process.argv[1], () => process.stdout.write('ready\\n'))
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
`

const ROUND_TRIPS = 1000
const PACKET = 28

/** us per round trip over 1,000 sequential round trips. */
export async function echoFloor(): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-echo-'))
  const path = join(dir, 'echo.sock')
  const child = spawn(process.execPath, ['-e', SERVER, path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const stop = (): void => {
    child.stdin.end()
    child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve())
      child.once('exit', (code) => reject(new Error(`echo server exited with ${code}`)))
    })
    const sock = createConnection({ path })
    await new Promise<void>((resolve) => sock.once('connect', resolve))
    const payload = Buffer.alloc(PACKET, 7)
    let got = 0
    let wake: (() => void) | null = null
    sock.on('data', (d: Buffer) => {
      got += d.length
      if (got >= PACKET && wake) {
        got -= PACKET
        const w = wake
        wake = null
        w()
      }
    })
    const roundTrip = (): Promise<void> =>
      new Promise<void>((resolve) => {
        wake = resolve
        sock.write(payload)
      })
    return {
      run: async () => {
        const start = performance.now()
        for (let i = 0; i < ROUND_TRIPS; i++) await roundTrip()
        return ((performance.now() - start) * 1000) / ROUND_TRIPS
      },
      close: () => {
        sock.destroy()
        stop()
        return Promise.resolve()
      },
    }
  } catch (err) {
    stop()
    throw err
  }
}
