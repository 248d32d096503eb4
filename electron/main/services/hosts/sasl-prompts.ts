import type { Credentials, CredentialsRequest } from '@native'
import type { Unanswered } from '@common/contract/hosts'
import type { Ask, Question, Reply } from './prompt-broker'
import type { SessionSecrets } from './session-secrets'

/** What one host's connect shares across its tries: the previous refusal, if any. */
export interface SaslTryState {
  /** What the daemon said when it refused the last answer; shown with the next question. */
  refused: string | undefined
}

/**
 * Answers native's SASL credentials callback for one try by asking the user for a user name
 * and password (libvirt's own login, e.g. SCRAM-SHA-256), with a remembered answer used first
 * unless the daemon just refused it. Keeps what the user asked to remember once the daemon
 * has accepted it.
 */
export class SaslPrompts {
  /** The question that got no answer in this try. */
  unanswered: { question: Question; reason: Unanswered } | undefined
  private given: { key: string; username: string; password: string; remember: boolean } | undefined

  constructor(
    private readonly ask: Ask,
    private readonly secrets: SessionSecrets,
    private readonly state: SaslTryState,
  ) {}

  /** The callback to hand to connectUri's `credentials`. */
  readonly credentials = async (request: CredentialsRequest): Promise<Credentials | undefined> => {
    const where = request.uri ?? request.target
    const key = `sasl ${where}`
    const refused = this.state.refused
    this.state.refused = undefined
    const remembered = this.secrets.get(key)
    if (remembered !== undefined && refused === undefined) {
      const [username, password] = splitRemembered(remembered)
      this.given = { key, username, password, remember: false }
      return { username, password }
    }
    const question: Question = {
      kind: 'secret',
      purpose: 'sasl',
      target: where,
      username: request.defaultUsername,
      serverPrompt: request.mechanism,
      ...(refused !== undefined && { refused }),
    }
    const reply: Reply = await this.ask(question)
    if (reply.kind !== 'secret') {
      if (reply.kind === 'unanswered' && reply.reason !== 'aborted') {
        this.unanswered = { question, reason: reply.reason }
      }
      return undefined
    }
    const username = reply.username ?? request.defaultUsername
    this.given = { key, username, password: reply.secret, remember: reply.remember }
    return { username, password: reply.secret }
  }

  /** After the login worked: remembers the answer if the user asked to. */
  commit(): void {
    const given = this.given
    if (given?.remember) this.secrets.set(given.key, `${given.username}\u0000${given.password}`)
  }

  /**
   * After the daemon refused the answer: forgets any remembered copy and says whether to
   * ask again (not when the user gave no answer).
   */
  refusedWith(message: string): boolean {
    if (!this.given) return false
    this.secrets.forget(this.given.key)
    this.state.refused = message
    return true
  }
}

function splitRemembered(value: string): [string, string] {
  const at = value.indexOf('\u0000')
  return [value.slice(0, at), value.slice(at + 1)]
}
