import type {
  HostKeyDecision,
  PasswordRequest,
  SshAuthError,
  SshConnectOptions,
  UnknownHostKey,
} from '@native'
import type { Unanswered } from '@common/contract/hosts'
import type { Ask, Question, Reply } from './prompt-broker'
import type { SessionSecrets } from './session-secrets'

/** State shared by every try of one host's connection and, for trust, by all hosts. */
export interface SshPromptContext {
  ask: Ask
  /** Secrets remembered for this session. */
  secrets: SessionSecrets
  /** Host keys trusted until the app quits (`name fingerprint`), when they cannot be saved. */
  trusted: Set<string>
  /** The app's own known_hosts: a trusted key is saved only there. */
  appKnownHostsFile: string | undefined
  /** What the server refused on the previous try, shown with the next question. */
  refused: { password: string | undefined; passphrases: Map<string, string> }
}

interface GivenSecret {
  key: string
  secret: string
  remember: boolean
  fromMemory: boolean
}

/**
 * Answers native's SSH callbacks (host key policy, password, key passphrase) for one try by
 * asking the user, and records what happened so the connector can decide what comes next:
 * ask again after a refused secret, fail with the question that got no answer, or remember
 * the secrets the user asked to keep once the server has taken them.
 */
export class SshPrompts {
  /** The first question that got no answer in this try. */
  unanswered: { question: Question; reason: Unanswered } | undefined
  private password: GivenSecret | undefined
  private readonly passphrases = new Map<string, GivenSecret>()

  constructor(private readonly context: SshPromptContext) {}

  /** The callbacks to hand to connectUri's `ssh` options. */
  options(): Pick<SshConnectOptions, 'hostKeyPolicy' | 'password' | 'passphrase'> {
    return {
      hostKeyPolicy: (key) => this.hostKey(key),
      password: (request) => this.askPassword(request),
      passphrase: (keyFile) => this.askPassphrase(keyFile),
    }
  }

  /** After the SSH login worked: keeps the secrets the user asked to remember. */
  commit(): void {
    const { secrets, refused } = this.context
    for (const given of [this.password, ...this.passphrases.values()]) {
      if (given?.remember && !given.fromMemory) secrets.set(given.key, given.secret)
    }
    refused.password = undefined
    refused.passphrases.clear()
  }

  /**
   * After an authentication failure: whether a secret the user gave was refused (the
   * remembered copy is dropped and the next try asks again, showing the server's refusal).
   */
  secretRefused(err: SshAuthError): boolean {
    const { secrets, refused } = this.context
    let again = false
    if (this.password && err.tried.some((m) => m === 'password' || m === 'keyboard-interactive')) {
      secrets.forget(this.password.key)
      refused.password = err.message
      again = true
    }
    for (const [file, given] of this.passphrases) {
      const note = err.notes.find((n) => n.includes(file) && /wrong passphrase/.test(n))
      if (!note) continue
      secrets.forget(given.key)
      refused.passphrases.set(file, note)
      again = true
    }
    return again
  }

  private async hostKey(key: UnknownHostKey): Promise<HostKeyDecision> {
    const { trusted, appKnownHostsFile } = this.context
    const id = `${key.name} ${key.fingerprint}`
    if (trusted.has(id)) return 'accept-once'
    const saves = appKnownHostsFile !== undefined && key.knownHostsFile === appKnownHostsFile
    const question: Question = {
      kind: 'host-key',
      host: key.name,
      keyType: key.keyType,
      fingerprint: key.fingerprint,
      otherKnownTypes: key.otherKnownTypes,
      ...(saves && { saveTo: key.knownHostsFile }),
    }
    const reply = await this.context.ask(question)
    if (reply.kind !== 'trust') {
      this.noteUnanswered(question, reply)
      return 'reject'
    }
    if (saves) return 'accept-and-save'
    trusted.add(id)
    return 'accept-once'
  }

  private async askPassword(request: PasswordRequest): Promise<string | undefined> {
    const target = `${request.user}@${request.host}:${request.port}`
    const refused = this.context.refused.password
    this.context.refused.password = undefined
    const given = await this.secret(`password ${target}`, refused, {
      kind: 'secret',
      purpose: 'ssh-password',
      target,
      ...(request.prompt !== undefined && { serverPrompt: request.prompt }),
    })
    if (given) this.password = given
    return given?.secret
  }

  private async askPassphrase(keyFile: string): Promise<string | undefined> {
    const refused = this.context.refused.passphrases.get(keyFile)
    this.context.refused.passphrases.delete(keyFile)
    const given = await this.secret(`passphrase ${keyFile}`, refused, {
      kind: 'secret',
      purpose: 'ssh-passphrase',
      target: keyFile,
    })
    if (given) this.passphrases.set(keyFile, given)
    return given?.secret
  }

  /** A remembered secret (unless the server just refused it), else the user's answer. */
  private async secret(
    key: string,
    refused: string | undefined,
    question: Extract<Question, { kind: 'secret' }>,
  ): Promise<GivenSecret | undefined> {
    const remembered = this.context.secrets.get(key)
    if (remembered !== undefined && refused === undefined) {
      return { key, secret: remembered, remember: true, fromMemory: true }
    }
    const asked = refused === undefined ? question : { ...question, refused }
    const reply = await this.context.ask(asked)
    if (reply.kind !== 'secret') {
      this.noteUnanswered(asked, reply)
      return undefined
    }
    return { key, secret: reply.secret, remember: reply.remember, fromMemory: false }
  }

  private noteUnanswered(question: Question, reply: Reply): void {
    if (reply.kind !== 'unanswered' || reply.reason === 'aborted') return
    this.unanswered ??= { question, reason: reply.reason }
  }
}
