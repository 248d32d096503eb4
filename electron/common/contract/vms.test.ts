import { describe, expect, it } from 'vitest'
import { ACTIONS_BY_STATE, VmState, vms } from './vms'

describe('vms contract', () => {
  const act = vms.spec.act.input
  it('accepts a lifecycle request and refuses malformed ones', () => {
    const ok = { hostId: 'h1', uuid: '5ca1e000-0000-4000-8000-000000000001', action: 'start' }
    expect(act.safeParse(ok).success).toBe(true)
    expect(act.safeParse({ ...ok, action: 'explode' }).success).toBe(false)
    expect(act.safeParse({ ...ok, uuid: 'not-a-uuid' }).success).toBe(false)
    expect(act.safeParse({ ...ok, hostId: '' }).success).toBe(false)
    expect(act.safeParse({ ...ok, uuid: undefined }).success).toBe(false)
  })

  it('offers at least one action in every state, and start only when the VM can start', () => {
    for (const state of VmState.options) expect(ACTIONS_BY_STATE[state].length).toBeGreaterThan(0)
    expect(ACTIONS_BY_STATE.running).not.toContain('start')
    expect(ACTIONS_BY_STATE.shutoff).toEqual(['start'])
  })
})
