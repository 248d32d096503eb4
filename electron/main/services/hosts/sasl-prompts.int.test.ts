/**
 * SASL logins through the app's connector against a real private libvirtd that wants
 * SCRAM-SHA-256: the user is asked for user name and password, a refused answer is asked
 * again with the daemon's refusal, a remembered answer is used on the next connect, and a
 * cancelled question leaves the host failed without retries.
 */
import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { HostConnection, HostPrompt, PromptAnswer } from '@common/contract/hosts'
import { startSaslDaemon, type SaslDaemon } from '../../../../native/test/sasl-daemon'
import { ConnectionManager } from './connection-manager'
import { createLibvirtConnector } from './connector'
import { PromptBroker } from './prompt-broker'
import { SessionSecrets } from './session-secrets'

const PASSWORD = 'scram-Pässwort-7'
let daemon: SaslDaemon
let manager: ConnectionManager | undefined
let seen: HostConnection[] = []
const uri = () => `test+unix:///default?socket=${daemon.socketPath}`

beforeAll(async () => {
  daemon = await startSaslDaemon({
    name: 'sasl-app',
    mechanisms: ['scram-sha-256'],
    users: { carol: PASSWORD },
  })
})
afterAll(async () => {
  await daemon?.stop()
  if (daemon) rmSync(daemon.dir, { recursive: true, force: true })
})
afterEach(() => manager?.dispose())

function start(secrets = new SessionSecrets()) {
  manager = new ConnectionManager(createLibvirtConnector({ secrets }), new PromptBroker())
  seen = []
  manager.onChanged((s) => seen.push(s))
  return manager
}

function until(match: (s: HostConnection) => boolean, ms = 30_000): Promise<HostConnection> {
  const found = seen.find(match)
  if (found) return Promise.resolve(found)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not seen; saw ${JSON.stringify(seen)}`)), ms)
    const sub = manager!.onChanged((s) => {
      if (!match(s)) return
      clearTimeout(timer)
      sub.dispose()
      resolve(s)
    })
  })
}

async function answer(reply: PromptAnswer): Promise<HostPrompt> {
  const state = await until((s) => s.prompt?.kind === 'secret')
  seen = []
  manager!.answerPrompt(state.prompt!.id, reply)
  return state.prompt!
}

describe('SASL prompts through the connector (private libvirtd, SCRAM-SHA-256)', () => {
  it('asks for user and password, asks again after a refusal, then connects', async () => {
    start().add('h', uri())
    const first = await answer({
      kind: 'secret',
      secret: 'wrong',
      username: 'carol',
      remember: false,
    })
    expect(first).toMatchObject({ kind: 'secret', purpose: 'sasl', serverPrompt: 'SCRAM-SHA-256' })
    expect(first).not.toHaveProperty('refused')
    const second = await answer({
      kind: 'secret',
      secret: PASSWORD,
      username: 'carol',
      remember: false,
    })
    expect(second).toMatchObject({ purpose: 'sasl', refused: expect.stringMatching(/carol/) })
    expect(JSON.stringify(second)).not.toContain('wrong')
    await until((s) => s.status === 'connected')
  })

  it('uses a remembered answer on the next connect without asking', async () => {
    const secrets = new SessionSecrets()
    start(secrets).add('h', uri())
    await answer({ kind: 'secret', secret: PASSWORD, username: 'carol', remember: true })
    await until((s) => s.status === 'connected')
    manager!.dispose()
    expect(secrets.size).toBe(1)
    start(secrets).add('h', uri())
    await until((s) => s.status === 'connected')
    expect(seen.some((s) => s.prompt !== undefined)).toBe(false)
  })

  it('leaves the host failed, without retries, when the question is cancelled', async () => {
    start().add('h', uri())
    await answer({ kind: 'cancel' })
    const failed = await until((s) => s.status === 'failed')
    expect(failed.problem).toMatchObject({ kind: 'unanswered', unanswered: 'cancelled' })
    expect(failed.retryInMs).toBeUndefined()
  })
})
