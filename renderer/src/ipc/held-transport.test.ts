import { describe, expect, it } from 'vitest'
import type { MessageTransport } from '@common/ipc/transport'
import { Emitter } from '@common/lifecycle'
import { HeldTransport } from './held-transport'

/** A transport whose arrivals the test makes, and a task queue the test runs by hand. */
function setup() {
  const messages = new Emitter<unknown>()
  const closes = new Emitter<string>()
  const sent: unknown[] = []
  const inner: MessageTransport = {
    send: (m) => sent.push(m),
    onMessage: messages.event,
    onClose: closes.event,
    close: () => closes.fire('closed'),
  }
  const tasks: (() => void)[] = []
  const held = new HeldTransport(inner, (task) => tasks.push(task))
  const seen: string[] = []
  held.onMessage((m) => seen.push(String(m)))
  held.onClose((reason) => seen.push(`closed: ${reason}`))
  const runTask = () => tasks.shift()?.()
  return { messages, closes, sent, held, seen, tasks, runTask }
}

describe('HeldTransport', () => {
  it('sends at once and keeps arrivals until released', () => {
    const t = setup()
    t.held.send('req 1')
    expect(t.sent).toEqual(['req 1'])
    t.messages.fire('a')
    t.messages.fire('b')
    expect(t.seen).toEqual([])
    expect(t.tasks).toHaveLength(0)
  })

  it('hands kept arrivals on in order, one per task, then passes arrivals straight through', () => {
    const t = setup()
    t.messages.fire('a')
    t.messages.fire('b')
    t.held.release()
    expect(t.seen).toEqual(['a'])
    t.messages.fire('c') // arrives while draining: queued behind b
    t.runTask()
    expect(t.seen).toEqual(['a', 'b'])
    t.runTask()
    expect(t.seen).toEqual(['a', 'b', 'c'])
    t.runTask()
    expect(t.tasks).toHaveLength(0)
    t.messages.fire('d')
    expect(t.seen).toEqual(['a', 'b', 'c', 'd'])
  })

  it('reports a close that arrived while held after the messages before it', () => {
    const t = setup()
    t.messages.fire('a')
    t.closes.fire('gone')
    t.held.release()
    while (t.tasks.length > 0) t.runTask()
    expect(t.seen).toEqual(['a', 'closed: gone'])
  })

  it('lets promise continuations of one arrival run before the next (real tasks)', async () => {
    const messages = new Emitter<unknown>()
    const inner: MessageTransport = {
      send: () => undefined,
      onMessage: messages.event,
      onClose: new Emitter<string>().event,
      close: () => undefined,
    }
    const held = new HeldTransport(inner)
    const order: string[] = []
    let resolveReply: (v: string) => void = () => undefined
    const reply = new Promise<string>((resolve) => (resolveReply = resolve))
    // Like a store's load: a reply awaited through two promise hops, then applied.
    void Promise.all([reply]).then(([v]) => order.push(v))
    held.onMessage((m) => (m === 'reply' ? resolveReply('reply applied') : order.push(String(m))))
    messages.fire('reply')
    messages.fire('event after the reply')
    held.release()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(order).toEqual(['reply applied', 'event after the reply'])
  })
})
