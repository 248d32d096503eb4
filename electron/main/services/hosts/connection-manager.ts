import type { Connection } from '@native'
import type { HostConnection, PromptAnswer, Unanswered } from '@common/contract/hosts'
import { Emitter, type Disposable } from '@common/lifecycle'
import { backoffMs, classifyConnectError } from './connection-problem'
import { PromptBroker, type Ask } from './prompt-broker'

/** An open connection, and whether the daemon only allows reading on it. */
export interface Opened {
  connection: Connection
  readOnly: boolean
}

/**
 * Opens a libvirt connection for a host URI; rejects with native's typed errors. `ask` puts
 * a question (host key, password) to the user; the host shows it as its pending prompt.
 */
export type Connector = (uri: string, signal: AbortSignal, ask?: Ask) => Promise<Opened>

interface Entry {
  uri: string
  state: HostConnection
  conn: Connection | undefined
  /** Aborts the attempt in flight. */
  attempt: AbortController | undefined
  retryTimer: ReturnType<typeof setTimeout> | undefined
  closeSub: Disposable | undefined
}

/**
 * One libvirt connection per host. Connects, watches for loss (keepalive and socket close
 * come from native), and reconnects with backoff when a retry can help; a permission or
 * authentication failure stays failed until the user asks again. While an attempt waits on
 * the user (host key, password), the question is the host's `prompt`.
 */
export class ConnectionManager implements Disposable {
  private readonly entries = new Map<string, Entry>()
  private readonly changed = new Emitter<HostConnection>()

  /** Fires with a host's new connection state. */
  readonly onChanged = this.changed.event

  constructor(
    private readonly connector: Connector,
    private readonly prompts = new PromptBroker(),
  ) {}

  /**
   * Answers a host's pending prompt.
   * @throws PromptGoneError, PromptAnswerMismatchError
   */
  answerPrompt(id: string, answer: PromptAnswer): void {
    this.prompts.answer(id, answer)
  }

  /** Ends every pending prompt unanswered (the last window closed); those attempts fail. */
  closePrompts(reason: Unanswered): void {
    this.prompts.closeAll(reason)
  }

  /** Every host's state. */
  states(): HostConnection[] {
    return [...this.entries.values()].map((e) => e.state)
  }

  /** The live connection of a host, if connected. */
  connection(id: string): Connection | undefined {
    const entry = this.entries.get(id)
    return entry?.state.status === 'connected' ? entry.conn : undefined
  }

  /**
   * Resolves with the host's connection once it is connected (at once if it is): for callers
   * that cannot go on without it (scripts, tests, benchmarks). The UI follows onChanged.
   * Rejects with the host's problem when it fails in a way retrying will not fix, and at
   * once for a host not managed here.
   */
  whenConnected(id: string): Promise<Connection> {
    const now = this.connection(id)
    if (now) return Promise.resolve(now)
    if (!this.entries.has(id)) return Promise.reject(new Error(`No host "${id}" is managed.`))
    return new Promise((resolve, reject) => {
      const sub = this.onChanged((s) => {
        const conn = s.id === id && s.status === 'connected' ? this.connection(id) : undefined
        const failed = s.id === id && s.status === 'failed'
        if (!conn && !failed) return
        sub.dispose()
        if (conn) resolve(conn)
        else reject(new Error(`Host "${id}" failed: ${s.problem?.message ?? 'no reason given'}`))
      })
    })
  }

  /** Starts managing a host and connects to it. */
  add(id: string, uri: string): void {
    if (this.entries.has(id)) return
    this.entries.set(id, {
      uri,
      state: { id, status: 'disconnected', readOnly: false, attempt: 0 },
      conn: undefined,
      attempt: undefined,
      retryTimer: undefined,
      closeSub: undefined,
    })
    this.connect(id)
  }

  /** Connects now, cancelling any wait for a retry. */
  connect(id: string): void {
    const entry = this.require(id)
    if (entry.state.status === 'connected' || entry.attempt) return
    this.clearRetry(entry)
    void this.attempt(id, entry)
  }

  /** Closes the connection and stops retrying. */
  async disconnect(id: string): Promise<void> {
    const entry = this.require(id)
    this.stop(entry)
    const conn = entry.conn
    entry.conn = undefined
    this.set(entry, { status: 'disconnected', attempt: 0 })
    await conn?.close()
  }

  /** Stops managing a host, closing its connection. */
  async remove(id: string): Promise<void> {
    const entry = this.entries.get(id)
    if (!entry) return
    this.entries.delete(id)
    this.stop(entry)
    await entry.conn?.close()
  }

  private async attempt(id: string, entry: Entry): Promise<void> {
    const controller = new AbortController()
    entry.attempt = controller
    const attempt = entry.state.attempt + 1
    this.set(entry, { status: entry.state.attempt > 0 ? 'reconnecting' : 'connecting', attempt })
    let conn: Connection | undefined
    try {
      const ask: Ask = (question) =>
        this.prompts.ask(question, {
          signal: controller.signal,
          onOpen: (prompt) => this.set(entry, { prompt }),
          onClose: () => {
            if (!controller.signal.aborted && this.entries.get(id) === entry) {
              this.set(entry, { prompt: undefined })
            }
          },
        })
      const opened = await this.connector(entry.uri, controller.signal, ask)
      conn = opened.connection
      const [hostname, libVersion] = await Promise.all([
        conn.hostname({ signal: controller.signal }),
        conn.libVersion({ signal: controller.signal }),
      ])
      if (controller.signal.aborted || this.entries.get(id) !== entry) {
        await conn.close()
        return
      }
      entry.conn = conn
      entry.closeSub = conn.onClose((err) => {
        if (err && this.entries.get(id) === entry) this.lost(entry, err)
      })
      const { readOnly } = opened
      this.set(entry, { status: 'connected', hostname, libVersion, readOnly, attempt: 0 }, true)
    } catch (err) {
      if (entry.conn !== conn) conn?.dispose()
      if (controller.signal.aborted || this.entries.get(id) !== entry) return
      this.failed(entry, err, attempt)
    } finally {
      if (entry.attempt === controller) entry.attempt = undefined
    }
  }

  private lost(entry: Entry, err: Error): void {
    entry.closeSub?.dispose()
    entry.closeSub = undefined
    entry.conn = undefined
    this.failed(entry, err, 1)
  }

  private failed(entry: Entry, err: unknown, attempt: number): void {
    const { problem, retry } = classifyConnectError(err)
    if (!retry) {
      this.set(entry, { status: 'failed', problem, attempt: 0 })
      return
    }
    const retryInMs = backoffMs(attempt)
    this.set(entry, { status: 'reconnecting', problem, retryInMs, attempt })
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined
      void this.attempt(entry.state.id, entry)
    }, retryInMs)
  }

  private set(entry: Entry, patch: Partial<HostConnection>, replace = false): void {
    const base = replace
      ? { id: entry.state.id, readOnly: false }
      : { ...entry.state, problem: undefined, retryInMs: undefined, prompt: undefined }
    const next = { ...base, ...patch } as HostConnection
    for (const key of ['problem', 'retryInMs', 'hostname', 'libVersion', 'prompt'] as const) {
      if (next[key] === undefined) delete next[key]
    }
    entry.state = next
    this.changed.fire(next)
  }

  private stop(entry: Entry): void {
    entry.attempt?.abort()
    entry.attempt = undefined
    this.clearRetry(entry)
    entry.closeSub?.dispose()
    entry.closeSub = undefined
  }

  private clearRetry(entry: Entry): void {
    if (entry.retryTimer) clearTimeout(entry.retryTimer)
    entry.retryTimer = undefined
  }

  private require(id: string): Entry {
    const entry = this.entries.get(id)
    if (!entry) throw new Error('That host is no longer in the list.')
    return entry
  }

  dispose(): void {
    for (const entry of this.entries.values()) {
      this.stop(entry)
      entry.conn?.dispose()
    }
    this.entries.clear()
    this.prompts.dispose()
    this.changed.dispose()
  }
}
