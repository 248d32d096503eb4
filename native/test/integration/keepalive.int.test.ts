/**
 * Keepalive against a real daemon that stops answering: a private libvirtd (never the shared
 * one) is frozen with SIGSTOP while a call is in flight. The connection must be declared dead
 * within the configured keepalive time, failing the call with ConnectionLostError, and a
 * healthy connection to the same daemon after SIGCONT must work again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/api/connection'
import { ConnectionLostError } from '../../src/rpc/errors'
import { startPrivateDaemon, type PrivateDaemon } from '../private-daemon'

const INTERVAL_MS = 200
const MAX_MISSED = 3
/** Detection is promised between MAX_MISSED and MAX_MISSED + 1 intervals after silence. */
const PROMISED_MS = (MAX_MISSED + 1) * INTERVAL_MS
/** Timers on a loaded 2-core CI machine fire late; this is slack, not the promise. */
const SCHEDULING_SLACK_MS = 1000

describe('keepalive with a frozen daemon (SIGSTOP)', () => {
  let daemon: PrivateDaemon

  beforeAll(async () => {
    const started = await startPrivateDaemon({ name: 'keepalive' })
    if (typeof started === 'string') throw new Error(`private libvirtd: ${started}`)
    daemon = started
  })
  afterAll(async () => {
    await daemon?.stop()
  })

  it('declares the peer dead within the configured time and fails the call in flight', async () => {
    const conn = await connect({
      socketPath: daemon.socketPath,
      name: 'test:///default',
      keepalive: { intervalMs: INTERVAL_MS, maxMissed: MAX_MISSED },
    })
    expect(await conn.remote.connectGetLibVersion()).toBeDefined()
    const closed = new Promise<ConnectionLostError | undefined>((resolve) => conn.onClose(resolve))

    process.kill(daemon.pid, 'SIGSTOP')
    const frozenAt = performance.now()
    try {
      const call = conn.remote.connectGetHostname()
      const err = await call.then(
        () => undefined,
        (e: unknown) => e,
      )
      const detectedMs = performance.now() - frozenAt
      expect(err).toBeInstanceOf(ConnectionLostError)
      expect((err as ConnectionLostError).reason).toMatch(/keepalive: no answer to 3 pings/)
      expect(await closed).toBeInstanceOf(ConnectionLostError)
      expect(detectedMs).toBeGreaterThanOrEqual(MAX_MISSED * INTERVAL_MS)
      expect(detectedMs).toBeLessThan(PROMISED_MS + SCHEDULING_SLACK_MS)
    } finally {
      process.kill(daemon.pid, 'SIGCONT')
    }

    const again = await connect({ socketPath: daemon.socketPath, name: 'test:///default' })
    try {
      expect(await again.remote.connectGetHostname()).toMatchObject({
        hostname: expect.any(String),
      })
    } finally {
      await again.close()
    }
  })
})
