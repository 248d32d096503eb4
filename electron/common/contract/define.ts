import type { z } from 'zod'
import type { Disposable } from '../lifecycle'

/** A request/reply method: its input is validated in main before the service sees it. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'method'
  readonly input: I
  readonly output: O
}

/** An event the main process pushes to subscribers. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event'
  readonly payload: P
}

/** Members of a service: methods are verbs, events are named `onXxx`. */
export type ServiceSpec = Record<string, MethodSpec | EventSpec>

/** A named service contract shared by main (implements) and renderer (calls). */
export interface ServiceContract<S extends ServiceSpec = ServiceSpec> {
  readonly name: string
  readonly spec: S
}

/** Declares a method. */
export function method<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
): MethodSpec<I, O> {
  return { kind: 'method', input, output }
}

/** Declares a pushed event. */
export function event<P extends z.ZodType>(payload: P): EventSpec<P> {
  return { kind: 'event', payload }
}

/** Declares a service; event names must start with `on` and a capital letter. */
export function service<S extends ServiceSpec>(name: string, spec: S): ServiceContract<S> {
  for (const [key, member] of Object.entries(spec)) {
    const looksLikeEvent = /^on[A-Z]/.test(key)
    if ((member.kind === 'event') !== looksLikeEvent) {
      throw new Error(`${name}.${key}: events are named onXxx, methods are verbs`)
    }
  }
  return { name, spec }
}

/** Cancellation and deadline for one call; carried across IPC (convention 4). */
export interface CallOptions {
  signal?: AbortSignal
  timeoutMs?: number
}

/** What a method implementation receives besides its validated input. */
export interface CallContext {
  /** Aborted when the caller cancels, the deadline passes or the client goes away. */
  signal: AbortSignal
}

type MethodClient<M> =
  M extends MethodSpec<infer I, infer O>
    ? (input: z.input<I>, options?: CallOptions) => Promise<z.output<O>>
    : never
type EventClient<E> =
  E extends EventSpec<infer P> ? (listener: (payload: z.output<P>) => void) => Disposable : never

/** The renderer's typed view of a service. */
export type ServiceClient<S extends ServiceSpec> = {
  [K in keyof S]: S[K] extends MethodSpec ? MethodClient<S[K]> : EventClient<S[K]>
}

type MethodImpl<M> =
  M extends MethodSpec<infer I, infer O>
    ? (input: z.output<I>, context: CallContext) => Promise<z.input<O>>
    : never
type EventImpl<E> =
  E extends EventSpec<infer P> ? (listener: (payload: z.input<P>) => void) => Disposable : never

/** What main implements for a service. */
export type ServiceImpl<S extends ServiceSpec> = {
  [K in keyof S]: S[K] extends MethodSpec ? MethodImpl<S[K]> : EventImpl<S[K]>
}
