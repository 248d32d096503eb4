/**
 * A small client of Node's inspector (the same protocol as Chromium's CDP) for the web-mode
 * server started with --inspect=127.0.0.1:0: forced garbage collection and heap usage for
 * the memory scenario, and CPU profiles when a figure misses its target.
 */
import { WebSocket } from 'ws'

/** An open inspector session. */
export interface Inspector {
  send<T = unknown>(method: string, params?: object): Promise<T>
  close(): void
}

/** The inspector's address from the "Debugger listening on ws://..." line, if printed. */
export function inspectorUrl(output: string): string | undefined {
  return /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output)?.[1]
}

/** Opens a session on `url`. */
export function openInspector(url: string): Promise<Inspector> {
  const ws = new WebSocket(url)
  let nextId = 1
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as {
      id?: number
      result?: unknown
      error?: { message: string }
    }
    const p = msg.id === undefined ? undefined : pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id!)
    if (msg.error) p.reject(new Error(msg.error.message))
    else p.resolve(msg.result)
  })
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('inspector closed'))
    pending.clear()
  })
  return new Promise((resolve, reject) => {
    ws.once('error', reject)
    ws.once('open', () =>
      resolve({
        send: <T>(method: string, params: object = {}) =>
          new Promise<T>((res, rej) => {
            const id = nextId++
            pending.set(id, { resolve: (v) => res(v as T), reject: rej })
            ws.send(JSON.stringify({ id, method, params }))
          }),
        close: () => ws.close(),
      }),
    )
  })
}

/** Main's memory outside the V8 heap (process.memoryUsage(): Buffers and other external). */
export async function offHeap(
  inspector: Inspector,
): Promise<{ external: number; buffers: number }> {
  const { result } = await inspector.send<{ result: { value: string } }>('Runtime.evaluate', {
    expression: 'JSON.stringify(process.memoryUsage())',
    returnByValue: true,
  })
  const usage = JSON.parse(result.value) as { external: number; arrayBuffers: number }
  return { external: usage.external, buffers: usage.arrayBuffers }
}

/** Main's V8 heap in bytes after two forced full collections. */
export async function heapAfterGc(inspector: Inspector): Promise<number> {
  await inspector.send('HeapProfiler.enable')
  await inspector.send('HeapProfiler.collectGarbage')
  await inspector.send('HeapProfiler.collectGarbage')
  const { usedSize } = await inspector.send<{ usedSize: number }>('Runtime.getHeapUsage')
  await inspector.send('HeapProfiler.disable')
  return usedSize
}
