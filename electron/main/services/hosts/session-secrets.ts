/**
 * Passwords and passphrases the user asked to remember "for this session": held in this
 * process's memory only, never written to a file or a log, gone when the app quits.
 * (Electron's safeStorage would allow more, but web mode has none, so nothing persists.)
 */
export class SessionSecrets {
  private readonly secrets = new Map<string, string>()

  /** The remembered secret for `key` (e.g. `password root@server:22`). */
  get(key: string): string | undefined {
    return this.secrets.get(key)
  }

  /** Remembers a secret until the app quits or it is refused. */
  set(key: string, secret: string): void {
    this.secrets.set(key, secret)
  }

  /** Forgets one secret (the server refused it). */
  forget(key: string): void {
    this.secrets.delete(key)
  }

  /** Number of remembered secrets. */
  get size(): number {
    return this.secrets.size
  }

  /** Forgets everything. */
  clear(): void {
    this.secrets.clear()
  }
}
