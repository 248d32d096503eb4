/* eslint-disable no-var -- ambient globals are declared with var, as in lib.dom.d.ts */
// The few globals that both Node and the browser provide and electron/common may use. This
// layer has neither the DOM nor Node types, so anything else (document, fs) fails to compile.

interface AbortSignal {
  readonly aborted: boolean
  readonly reason: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
  throwIfAborted(): void
}
declare var AbortSignal: {
  prototype: AbortSignal
  timeout(milliseconds: number): AbortSignal
  any(signals: AbortSignal[]): AbortSignal
}

interface AbortController {
  readonly signal: AbortSignal
  abort(reason?: unknown): void
}
declare var AbortController: { prototype: AbortController; new (): AbortController }

type TimerHandle = { readonly __timer: unique symbol }
declare function setTimeout(handler: () => void, milliseconds?: number): TimerHandle
declare function clearTimeout(handle: TimerHandle | undefined): void
declare function queueMicrotask(callback: () => void): void
declare function structuredClone<T>(value: T): T
