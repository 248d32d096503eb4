import { randomUUID } from 'node:crypto'
import type { HostPrompt, PromptAnswer, Unanswered } from '@common/contract/hosts'
import type { Disposable } from '@common/lifecycle'

/** How long a question waits for the user before it counts as unanswered. */
export const DEFAULT_PROMPT_TIMEOUT_MS = 5 * 60_000

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

/** A question to put to the user; the broker gives it its id. */
export type Question = WithoutId<HostPrompt>

/** What asking resolves with: the user's answer, or why there was none. */
export type Reply =
  Exclude<PromptAnswer, { kind: 'cancel' }> | { kind: 'unanswered'; reason: Unanswered | 'aborted' }

/** Puts a question to the user on behalf of one connection attempt. */
export type Ask = (question: Question) => Promise<Reply>

/** Where a question shows and for how long it may wait. */
export interface AskOptions {
  /** Aborting withdraws the question (the attempt was given up). */
  signal: AbortSignal
  /** Called with the question, id included, once it is open. */
  onOpen(prompt: HostPrompt): void
  /** Called once when the question closes, however it closes. */
  onClose(): void
}

/** An answer to a question that is not open (answered elsewhere, timed out, withdrawn). */
export class PromptGoneError extends Error {
  override readonly name = 'PromptGoneError'
  readonly code = 'prompt-gone'
}

/** An answer that does not fit its question (trusting a password prompt ...). */
export class PromptAnswerMismatchError extends Error {
  override readonly name = 'PromptAnswerMismatchError'
  readonly code = 'prompt-answer-mismatch'
}

interface Pending {
  prompt: HostPrompt
  settle(reply: Reply): void
}

/**
 * Questions waiting for the user while hosts connect. Each waits on its own, so one host's
 * question never holds up another host. A question ends with the user's answer, after the
 * timeout, when the attempt is given up, or when every window closed ({@link closeAll}).
 * Secrets pass through as answers only; nothing here logs or keeps them.
 */
export class PromptBroker implements Disposable {
  private readonly pending = new Map<string, Pending>()

  constructor(private readonly timeoutMs = DEFAULT_PROMPT_TIMEOUT_MS) {}

  /** Number of open questions. */
  get size(): number {
    return this.pending.size
  }

  /** Asks and waits for the reply; never rejects. */
  ask(question: Question, options: AskOptions): Promise<Reply> {
    const { signal } = options
    if (signal.aborted) return Promise.resolve({ kind: 'unanswered', reason: 'aborted' })
    const prompt = { ...question, id: randomUUID() } as HostPrompt
    return new Promise<Reply>((resolve) => {
      const timer = setTimeout(
        () => settle({ kind: 'unanswered', reason: 'timeout' }),
        this.timeoutMs,
      )
      const onAbort = () => settle({ kind: 'unanswered', reason: 'aborted' })
      const settle = (reply: Reply) => {
        if (!this.pending.delete(prompt.id)) return
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        options.onClose()
        resolve(reply)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.pending.set(prompt.id, { prompt, settle })
      options.onOpen(prompt)
    })
  }

  /**
   * Answers an open question.
   * @throws PromptGoneError if it is not open; PromptAnswerMismatchError if the answer does
   *   not fit it
   */
  answer(id: string, answer: PromptAnswer): void {
    const entry = this.pending.get(id)
    if (!entry) {
      throw new PromptGoneError(
        'This question is no longer open: it was answered in another window, timed out or the connection was given up.',
      )
    }
    if (answer.kind === 'cancel') return entry.settle({ kind: 'unanswered', reason: 'cancelled' })
    const fits =
      (answer.kind === 'trust' && entry.prompt.kind === 'host-key') ||
      (answer.kind === 'secret' && entry.prompt.kind === 'secret')
    if (!fits) {
      throw new PromptAnswerMismatchError(
        `A ${answer.kind} answer does not fit a ${entry.prompt.kind} question.`,
      )
    }
    entry.settle(answer)
  }

  /** Ends every open question as unanswered (e.g. the last window closed). */
  closeAll(reason: Unanswered): void {
    for (const entry of [...this.pending.values()]) entry.settle({ kind: 'unanswered', reason })
  }

  dispose(): void {
    this.closeAll('closed')
  }
}

const QUESTION_WORDS: Record<Question['kind'], string> = {
  'host-key': 'the question whether to trust the host key',
  secret: 'the password prompt',
}

/** Why a connection failed because a question to the user got no answer. */
export class PromptUnansweredError extends Error {
  override readonly name = 'PromptUnansweredError'
  readonly code = 'prompt-unanswered'

  constructor(
    /** The question that went unanswered. */
    readonly question: Question,
    readonly reason: Unanswered,
    cause?: unknown,
  ) {
    const what = QUESTION_WORDS[question.kind]
    const about = question.kind === 'host-key' ? question.host : question.target
    const why = {
      cancelled:
        question.kind === 'host-key'
          ? `You did not trust the SSH host key of ${about} (${question.keyType} ${question.fingerprint}).`
          : `You cancelled ${what} for ${about}.`,
      timeout: `Nobody answered ${what} for ${about} in time.`,
      closed: `The window closed before ${what} for ${about} was answered.`,
    }[reason]
    super(why, cause === undefined ? undefined : { cause })
  }
}
