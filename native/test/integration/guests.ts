/**
 * Transient copies of the test host's domains for tests that start guests: a fresh name and
 * no UUID, so they never collide with the originals or with another run, and nothing is
 * left defined if a run dies (a transient domain vanishes when destroyed).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { Connection } from '../../src/api/connection'
import type { NonnullDomain } from '../../src/protocol/generated/remote-types.gen'
import { createHash } from 'node:crypto'

/** What these tests need from host.json's `guest` and `domains` (with the documented defaults). */
export function guestFacts(file = '/var/tmp/virtdeck-test-host/host.json') {
  const j = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as {
        guest?: { readyLine?: string; prompt?: string }
        domains?: { vnc?: string; linux?: string }
      })
    : {}
  return {
    readyLine: j.guest?.readyLine ?? 'VIRTDECK-GUEST-READY',
    prompt: j.guest?.prompt ?? 'virtdeck# ',
    vnc: j.domains?.vnc ?? 'virtdeck-vnc',
    linux: j.domains?.linux ?? 'virtdeck-linux',
  }
}

/** `prefix-<pid>-<time>`: unique per run, short enough for every libvirt object name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}`
}

/** The XML of a test-host domain under a new name, without its UUID. */
export async function copiedDomainXml(conn: Connection, from: string, name: string) {
  const { dom } = await conn.remote.domainLookupByName({ name: from })
  const { xml } = await conn.remote.domainGetXmlDesc({ dom, flags: 0 })
  return xml
    .replace(/<name>[^<]*<\/name>/, `<name>${name}</name>`)
    .replace(/<uuid>[^<]*<\/uuid>\s*/, '')
}

/**
 * The tiny Linux guest trimmed for stream tests: no virtiofs share and shared memory (no
 * virtiofsd to start), no serial log file (the original's), plus a virtio-serial channel
 * `channel` on a unix socket (DOMAIN_OPEN_CHANNEL needs one), /dev/vport0p1 in the guest.
 */
export function streamGuestXml(xml: string, channel: string): string {
  return xml
    .replace(/<memoryBacking>[\s\S]*?<\/memoryBacking>\s*/, '')
    .replace(/<filesystem[\s\S]*?<\/filesystem>\s*/g, '')
    .replace(/<log [^>]*\/>\s*/g, '')
    .replace(
      '</devices>',
      `<channel type='unix'><source mode='bind'/><target type='virtio' name='${channel}'/></channel></devices>`,
    )
}

/** Destroys a domain, ignoring every error (it may be gone already). */
export async function destroyQuietly(conn: Connection | undefined, dom: NonnullDomain | null) {
  if (!conn || conn.closed || !dom) return
  await conn.remote.domainDestroy({ dom }).catch(() => {})
}

/** A shell pipeline printing `n` reproducible bytes in which every 16-byte line names its offset. */
export const odPattern = (n: number): string => `od -v -A x -t x1 /dev/zero | head -c ${n}`

/**
 * A guest command line that checks a transfer byte by byte: VDK-BEGIN, the `n`-byte pattern,
 * VDK-END, then the md5 of the same bytes. The quotes keep the command line's own echo from
 * matching the markers. Run it with `stty -echo -opost` in the guest (no echo, no \r\n).
 */
export const patternTransferCommand = (n: number): string =>
  `echo VDK-"BEGIN"; ${odPattern(n)}; echo; echo VDK-"END"; ${odPattern(n)} | md5sum\n`

/** The end of a transfer's output; group 1 is the md5 the guest computed. */
export const PATTERN_DONE = /VDK-END\n([0-9a-f]{32}) {2}-\n/

/** The pattern bytes between the markers of a finished transfer, and their md5. */
export function patternReceived(output: string): { data: Buffer; md5: string } {
  const begin = output.indexOf('VDK-BEGIN\n') + 'VDK-BEGIN\n'.length
  const data = Buffer.from(output.slice(begin, output.indexOf('\nVDK-END', begin)), 'latin1')
  return { data, md5: createHash('md5').update(data).digest('hex') }
}

/** Anything that emits console output as 'data' events (a VirStream, a PassThrough). */
export interface DataSource {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown
}

/** Collects what a console prints and waits for text in it. */
export class ConsoleReader {
  private text = ''

  constructor(stream: DataSource) {
    stream.on('data', (c: Buffer) => {
      this.text += c.toString('latin1')
    })
  }

  /** Everything printed so far. */
  get all(): string {
    return this.text
  }

  /** Forgets what was printed so far. */
  clear(): void {
    this.text = ''
  }

  /** Resolves with the match once `pattern` appears; rejects with the tail after `ms`. */
  async waitFor(pattern: string | RegExp, ms = 30_000): Promise<RegExpMatchArray | string> {
    const end = Date.now() + ms
    for (;;) {
      if (typeof pattern === 'string' ? this.text.includes(pattern) : pattern.test(this.text)) {
        return typeof pattern === 'string' ? pattern : this.text.match(pattern)!
      }
      if (Date.now() > end) {
        throw new Error(
          `console: no ${String(pattern)} in ${JSON.stringify(this.text.slice(-400))}`,
        )
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }
}
