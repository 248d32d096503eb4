import { homedir } from 'node:os'
import { join } from 'node:path'
import {
  AuthCredentialsRequiredError,
  connectUri,
  HostKeyUnknownError,
  isAuthRefused,
  parseLibvirtUri,
  planConnection,
  SshAuthError,
  SshConnectError,
  type LibvirtUri,
} from '@native'
import type { Connector, Opened } from './connection-manager'
import { PromptUnansweredError } from './prompt-broker'
import { SaslPrompts, type SaslTryState } from './sasl-prompts'
import { SessionSecrets } from './session-secrets'
import { SshPrompts, type SshPromptContext } from './ssh-prompts'

/** Options of {@link createLibvirtConnector}. */
export interface ConnectorOptions {
  /**
   * The app's own known_hosts file (in the user-data folder). Keys the user trusts are saved
   * there and nowhere else; ~/.ssh/known_hosts and the system file are only read.
   */
  appKnownHostsFile?: string
  /** Files read besides it. Default: ~/.ssh/known_hosts, and /etc/ssh/ssh_known_hosts off Windows. */
  userKnownHostsFiles?: readonly string[]
  /** Passwords and passphrases remembered for this session (in memory only). */
  secrets?: SessionSecrets
}

/** The known_hosts files OpenSSH reads for a user, which the app reads but never writes. */
export function userKnownHostsFiles(home = homedir(), platform = process.platform): string[] {
  const user = join(home, '.ssh', 'known_hosts')
  return platform === 'win32' ? [user] : [user, '/etc/ssh/ssh_known_hosts']
}

/**
 * Opens host URIs with native's client: unix sockets, TCP, TLS and SSH, as the URI says.
 * A connection through a `-ro` socket is read-only.
 *
 * SSH host keys are checked against the app's known_hosts and the user's (or only the
 * URI's known_hosts= file plus the app's). An unknown key is put to the user; a trusted one
 * is saved in the app's file (or, when the URI names its own file, trusted until the app
 * quits). A changed key is always refused. When keys and the agent fail and the server takes
 * a password, the user is asked; a refused password is asked again with the server's answer.
 * A daemon that wants a SASL login (any transport) gets the user name and password the same
 * way. Without an `ask` (tests, no UI) unknown keys are refused and nothing is asked.
 */
export function createLibvirtConnector(options: ConnectorOptions = {}): Connector {
  const secrets = options.secrets ?? new SessionSecrets()
  const trusted = new Set<string>()
  const readFiles = options.userKnownHostsFiles ?? userKnownHostsFiles()
  return async (text, signal, ask) => {
    const uri = parseLibvirtUri(text)
    const readOnly = uri.params.socket?.endsWith('-ro') ?? false
    const plan = planConnection(uri)
    const files =
      plan.transport === 'ssh' ? sshFiles(uri, options.appKnownHostsFile, readFiles) : undefined
    if (!ask) {
      return {
        connection: await connectUri(uri, { signal, ...(files && { ssh: files }) }),
        readOnly,
      }
    }
    const context: SshPromptContext = {
      ask,
      secrets,
      trusted,
      appKnownHostsFile: options.appKnownHostsFile,
      refused: { password: undefined, passphrases: new Map() },
    }
    return connectAsking(uri, signal, context, files, readOnly)
  }
}

/** Which known_hosts files an SSH connection writes and reads. */
function sshFiles(
  uri: LibvirtUri,
  appFile: string | undefined,
  userFiles: readonly string[],
): { knownHostsFile?: string; extraKnownHostsFiles?: readonly string[] } {
  const extraKnownHostsFiles = knownHostsToRead(uri, appFile, userFiles)
  return {
    ...(appFile !== undefined && { knownHostsFile: appFile }),
    ...(extraKnownHostsFiles && { extraKnownHostsFiles }),
  }
}

/** The files read besides the written one: the URI's own file goes with the app's only. */
function knownHostsToRead(
  uri: LibvirtUri,
  appFile: string | undefined,
  userFiles: readonly string[],
): readonly string[] | undefined {
  if (appFile === undefined) return undefined
  return uri.params.known_hosts !== undefined ? [appFile] : userFiles
}

/**
 * Connects, asking the user what SSH and SASL need, and tries again for as long as the user
 * answers refused secrets anew. `files` is set for SSH connections only.
 */
async function connectAsking(
  uri: LibvirtUri,
  signal: AbortSignal,
  context: SshPromptContext,
  files: { knownHostsFile?: string; extraKnownHostsFiles?: readonly string[] } | undefined,
  readOnly: boolean,
): Promise<Opened> {
  const saslState: SaslTryState = { refused: undefined }
  for (;;) {
    const prompts = new SshPrompts(context)
    const sasl = new SaslPrompts(context.ask, context.secrets, saslState)
    try {
      const connection = await connectUri(uri, {
        signal,
        credentials: sasl.credentials,
        ...(files && { ssh: { ...files, ...prompts.options() } }),
      })
      prompts.commit()
      sasl.commit()
      return { connection, readOnly }
    } catch (err) {
      if (signal.aborted) throw err
      if (!(err instanceof SshAuthError || err instanceof SshConnectError)) prompts.commit()
      const unanswered = prompts.unanswered ?? sasl.unanswered
      if (
        unanswered &&
        (err instanceof SshAuthError ||
          err instanceof HostKeyUnknownError ||
          err instanceof AuthCredentialsRequiredError)
      ) {
        throw new PromptUnansweredError(unanswered.question, unanswered.reason, err)
      }
      if (err instanceof SshAuthError && prompts.secretRefused(err)) continue
      if (isAuthRefused(err) && sasl.refusedWith((err as Error).message)) continue
      throw err
    }
  }
}

/** The connector without prompts or an app known_hosts (tests, tools): ~/.ssh/known_hosts only. */
export const libvirtConnector: Connector = createLibvirtConnector()
