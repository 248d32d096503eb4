import type { CallOptions, ServiceClient, ServiceSpec } from '@common/contract/define'
import type { ChannelClient } from '@common/ipc/channel-client'

/** Event members of a contract are named onXxx (define.ts checks it); the rest are methods. */
const EVENT_NAME = /^on[A-Z]/

/**
 * The typed client of the service named `name`, built from the contract's naming rule rather
 * than from its spec: the contract's values are zod schemas, and building every schema cost
 * the page about 100 ms at start-up for nothing (main validates, the page only calls). A
 * member is made on first use and kept; a name the service lacks is answered by main with an
 * unknown-method error, as with the spec-built client. `then` is never a member, so a client
 * is not mistaken for a promise.
 */
export function serviceClient<S extends ServiceSpec>(
  channel: ChannelClient,
  name: string,
): ServiceClient<S> {
  const members = new Map<string, unknown>()
  const member = (key: string): unknown =>
    EVENT_NAME.test(key)
      ? (listener: (payload: unknown) => void) => channel.subscribe(name, key, listener)
      : (input: unknown, options?: CallOptions) => channel.call(name, key, input, options)
  return new Proxy({} as ServiceClient<S>, {
    get(_target, key) {
      if (typeof key !== 'string' || key === 'then') return undefined
      let fn = members.get(key)
      if (!fn) {
        fn = member(key)
        members.set(key, fn)
      }
      return fn
    },
  })
}
