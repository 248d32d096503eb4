import { afterEach, describe, expect, it, vi } from 'vitest'
import type { HostPrompt } from '@common/contract/hosts'
import {
  PromptAnswerMismatchError,
  PromptBroker,
  PromptGoneError,
  PromptUnansweredError,
  type Question,
} from './prompt-broker'

const hostKey: Question = {
  kind: 'host-key',
  host: '[127.0.0.1]:2222',
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:abc',
  otherKnownTypes: [],
}
const password: Question = { kind: 'secret', purpose: 'ssh-password', target: 'me@h:22' }

/** Asks through the broker and records the prompt's life. */
function ask(broker: PromptBroker, question: Question, signal = new AbortController().signal) {
  const seen: { opened?: HostPrompt; closed: number } = { closed: 0 }
  const reply = broker.ask(question, {
    signal,
    onOpen: (p) => (seen.opened = p),
    onClose: () => seen.closed++,
  })
  return { reply, seen }
}

afterEach(() => vi.useRealTimers())

describe('PromptBroker', () => {
  it('gives each question an id and resolves with the answer that fits', async () => {
    const broker = new PromptBroker()
    const a = ask(broker, hostKey)
    const b = ask(broker, password)
    expect(a.seen.opened?.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(a.seen.opened?.id).not.toBe(b.seen.opened?.id)
    expect(broker.size).toBe(2)
    broker.answer(b.seen.opened!.id, { kind: 'secret', secret: 's', remember: true })
    broker.answer(a.seen.opened!.id, { kind: 'trust' })
    expect(await a.reply).toEqual({ kind: 'trust' })
    expect(await b.reply).toEqual({ kind: 'secret', secret: 's', remember: true })
    expect([a.seen.closed, b.seen.closed, broker.size]).toEqual([1, 1, 0])
  })

  it('refuses an answer that does not fit, and one to a question no longer open', async () => {
    const broker = new PromptBroker()
    const a = ask(broker, password)
    const id = a.seen.opened!.id
    expect(() => broker.answer(id, { kind: 'trust' })).toThrow(PromptAnswerMismatchError)
    broker.answer(id, { kind: 'cancel' })
    expect(await a.reply).toEqual({ kind: 'unanswered', reason: 'cancelled' })
    expect(() => broker.answer(id, { kind: 'cancel' })).toThrow(PromptGoneError)
  })

  it('times out, and withdraws a question when its attempt is aborted', async () => {
    vi.useFakeTimers()
    const broker = new PromptBroker(1000)
    const a = ask(broker, hostKey)
    vi.advanceTimersByTime(999)
    expect(broker.size).toBe(1)
    vi.advanceTimersByTime(1)
    expect(await a.reply).toEqual({ kind: 'unanswered', reason: 'timeout' })
    const controller = new AbortController()
    const b = ask(broker, password, controller.signal)
    controller.abort()
    expect(await b.reply).toEqual({ kind: 'unanswered', reason: 'aborted' })
    expect(b.seen.closed).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('closes every open question when the windows go', async () => {
    const broker = new PromptBroker()
    const a = ask(broker, hostKey)
    const b = ask(broker, password)
    broker.closeAll('closed')
    expect(await a.reply).toEqual({ kind: 'unanswered', reason: 'closed' })
    expect(await b.reply).toEqual({ kind: 'unanswered', reason: 'closed' })
    expect(broker.size).toBe(0)
  })

  it('words an unanswered question for the host page', () => {
    expect(new PromptUnansweredError(hostKey, 'cancelled').message).toBe(
      'You did not trust the SSH host key of [127.0.0.1]:2222 (ssh-ed25519 SHA256:abc).',
    )
    expect(new PromptUnansweredError(password, 'closed').message).toBe(
      'The window closed before the password prompt for me@h:22 was answered.',
    )
  })
})
