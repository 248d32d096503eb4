import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Emitter, type Disposable } from '@common/lifecycle'

/** A saved host as stored on disk. */
export interface StoredHost {
  id: string
  /** The name the user gave it; absent, the UI words a default in its language. */
  name?: string
  uri: string
  addedAt: string
}

interface RegistryFile {
  version: 1
  hosts: StoredHost[]
}

/** A host registry request that cannot be carried out (duplicate URI, unknown id). */
export class HostRegistryError extends Error {
  override readonly name = 'HostRegistryError'
  /** For the UI to word in its language: the reason (the code) and the values it names. */
  readonly details: { reason: string; values: Record<string, string> }

  constructor(
    message: string,
    readonly code: 'duplicate' | 'not-found',
    values: Record<string, string> = {},
  ) {
    super(message)
    this.details = { reason: code, values }
  }
}

/**
 * The user's hosts, persisted as JSON in the app's user-data folder. Writes go to a temporary
 * file renamed over the old one, so a crash never leaves half a file. A file that cannot be
 * read is moved aside (never deleted) and the registry starts empty.
 */
export class HostRegistry implements Disposable {
  private hosts: StoredHost[] = []
  private writing: Promise<void> = Promise.resolve()
  private readonly changed = new Emitter<readonly StoredHost[]>()

  /** Fires with the whole list after every change. */
  readonly onChanged = this.changed.event

  private constructor(private readonly file: string) {}

  /** Loads the registry from `file` (missing file: empty registry). */
  static async open(
    file: string,
    log: (msg: string) => void = console.warn,
  ): Promise<HostRegistry> {
    const registry = new HostRegistry(file)
    let text: string | undefined
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    if (text !== undefined) {
      try {
        registry.hosts = parseRegistry(text)
      } catch (err) {
        const aside = `${file}.unreadable-${Date.now()}`
        await rename(file, aside)
        log(`Host list ${file} could not be read (${(err as Error).message}); kept it as ${aside}`)
      }
    }
    return registry
  }

  /** All hosts in the order they were added. */
  list(): readonly StoredHost[] {
    return this.hosts
  }

  /** Whether a host with exactly this URI is saved. */
  hasUri(uri: string): boolean {
    return this.hosts.some((h) => h.uri === uri)
  }

  /** Saves a new host; refuses a URI that is already saved. */
  async add(uri: string, name?: string): Promise<StoredHost> {
    const existing = this.hosts.find((h) => h.uri === uri)
    if (existing) {
      throw new HostRegistryError(`${uri} is already in the list.`, 'duplicate', { uri })
    }
    const host: StoredHost = { id: randomUUID(), uri, addedAt: new Date().toISOString() }
    if (name) host.name = name
    await this.commit([...this.hosts, host])
    return host
  }

  /** Renames a host; an empty name brings back the default one. */
  async rename(id: string, name: string): Promise<StoredHost> {
    const { name: _old, ...host } = this.get(id)
    const renamed: StoredHost = name ? { ...host, name } : host
    await this.commit(this.hosts.map((h) => (h.id === id ? renamed : h)))
    return renamed
  }

  /** Removes a host from the list (the host itself and its VMs are untouched). */
  async remove(id: string): Promise<void> {
    this.get(id)
    await this.commit(this.hosts.filter((h) => h.id !== id))
  }

  private get(id: string): StoredHost {
    const host = this.hosts.find((h) => h.id === id)
    if (!host) throw new HostRegistryError('That host is no longer in the list.', 'not-found')
    return host
  }

  /** Writes the new list, one write at a time, then publishes it. */
  private async commit(next: StoredHost[]): Promise<void> {
    const body: RegistryFile = { version: 1, hosts: next }
    const write = this.writing.then(async () => {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 })
      const tmp = `${this.file}.${process.pid}.tmp`
      await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 })
      await rename(tmp, this.file)
    })
    this.writing = write.catch(() => undefined)
    await write
    this.hosts = next
    this.changed.fire(next)
  }

  dispose(): void {
    this.changed.dispose()
  }
}

function parseRegistry(text: string): StoredHost[] {
  const data = JSON.parse(text) as Partial<RegistryFile>
  if (data.version !== 1 || !Array.isArray(data.hosts)) throw new Error('unknown format')
  return data.hosts.filter(
    (h): h is StoredHost =>
      typeof h?.id === 'string' &&
      (h.name === undefined || typeof h.name === 'string') &&
      typeof h.uri === 'string',
  )
}
