import { Emitter } from '../lifecycle'
import type { MessageTransport } from './transport'

/**
 * Two connected in-memory transports. Messages are delivered on a microtask and
 * structured-cloned, as a MessagePort would; closing one side closes both.
 */
export function createMemoryTransportPair(): [MessageTransport, MessageTransport] {
  const messages = [new Emitter<unknown>(), new Emitter<unknown>()] as const
  const closes = [new Emitter<string>(), new Emitter<string>()] as const
  let closed = false
  const close = (reason: string) => {
    if (closed) return
    closed = true
    for (const emitter of closes) emitter.fire(reason)
  }
  const side = (me: 0 | 1): MessageTransport => ({
    send(message) {
      if (closed) return
      const copy = structuredClone(message)
      queueMicrotask(() => {
        if (!closed) messages[me === 0 ? 1 : 0].fire(copy)
      })
    },
    onMessage: messages[me].event,
    onClose: closes[me].event,
    close: () => close('closed'),
  })
  return [side(0), side(1)]
}
