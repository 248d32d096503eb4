/**
 * A worker thread running one of the bench's TypeScript modules, asked one request at a
 * time: the module answers each message on its parentPort with { ok: result } or
 * { error: message }. The worker registers tsx's loader (with the tools tsconfig, so
 * `@common` and `@native` resolve) before it imports the module.
 */
import { Worker } from 'node:worker_threads'

/** One worker; `ask` queues requests so each reply goes to its own request. */
export class TsWorker<Request> {
  private readonly worker: Worker
  private queue: Promise<unknown> = Promise.resolve()
  private fail: ((err: Error) => void) | undefined

  constructor(module: URL) {
    const api = JSON.stringify(import.meta.resolve('tsx/esm/api'))
    const tsconfig = JSON.stringify(new URL('../../tsconfig.tools.json', import.meta.url).pathname)
    const entry = JSON.stringify(module.href)
    const boot =
      `const { register } = await import(${api}); register({ tsconfig: ${tsconfig} }); ` +
      `await import(${entry})`
    this.worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`))
    this.worker.on('error', (err) => this.fail?.(err))
  }

  /** Sends one request and waits for its reply. */
  ask<T>(request: Request): Promise<T> {
    const next = this.queue.then(
      () =>
        new Promise<T>((resolve, reject) => {
          this.fail = reject
          this.worker.once('message', (reply: { ok?: T; error?: string }) =>
            reply.error === undefined ? resolve(reply.ok as T) : reject(new Error(reply.error)),
          )
          this.worker.postMessage(request)
        }),
    )
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Stops the thread. */
  async terminate(): Promise<void> {
    await this.worker.terminate()
  }
}

/** For the module inside: answers every request with `handle`'s result or error. */
export async function serveRequests<Request>(
  handle: (request: Request) => Promise<unknown>,
): Promise<void> {
  const { parentPort } = await import('node:worker_threads')
  parentPort!.on('message', (request: Request) => {
    handle(request).then(
      (ok) => parentPort!.postMessage({ ok }),
      (err: unknown) => parentPort!.postMessage({ error: String(err) }),
    )
  })
}
