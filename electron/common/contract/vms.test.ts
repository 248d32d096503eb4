import { describe, expect, it } from 'vitest'
import { ACTIONS_BY_STATE, DeletePlan, VmState, VmSummary, vms } from './vms'

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

  const UUID = '5ca1e000-0000-4000-8000-000000000001'

  it('validates autostart requests', () => {
    const input = vms.spec.setAutostart.input
    expect(input.safeParse({ hostId: 'h1', uuid: UUID, autostart: true }).success).toBe(true)
    expect(input.safeParse({ hostId: 'h1', uuid: UUID, autostart: 'yes' }).success).toBe(false)
    expect(input.safeParse({ hostId: 'h1', uuid: UUID }).success).toBe(false)
  })

  it('validates delete requests: absolute volume paths, a bounded list, optional keepNvram', () => {
    const input = vms.spec.delete.input
    const ok = { hostId: 'h1', uuid: UUID, volumes: ['/var/lib/libvirt/images/a.qcow2'] }
    expect(input.parse(ok)).toEqual(ok)
    expect(input.parse({ ...ok, volumes: [' /a.img '], keepNvram: true })).toEqual({
      ...ok,
      volumes: ['/a.img'],
      keepNvram: true,
    })
    expect(input.safeParse({ ...ok, volumes: [] }).success).toBe(true)
    expect(input.safeParse({ ...ok, volumes: ['a.qcow2'] }).success).toBe(false)
    expect(input.safeParse({ ...ok, volumes: '/a.img' }).success).toBe(false)
    expect(input.safeParse({ ...ok, volumes: Array(257).fill('/a') }).success).toBe(false)
    expect(input.safeParse({ ...ok, keepNvram: 'no' }).success).toBe(false)
    expect(vms.spec.deletePlan.input.safeParse({ hostId: 'h1', uuid: 'x' }).success).toBe(false)
  })

  it('describes list rows and delete plans the UI can rely on', () => {
    const row = { hostId: 'h', uuid: UUID, name: 'a', state: 'running', id: 3 }
    const columns = { vcpus: 2, memoryKiB: 2097152, autostart: true, persistent: true }
    expect(VmSummary.safeParse({ ...row, ...columns }).success).toBe(true)
    expect(VmSummary.safeParse(row).success).toBe(false)
    expect(VmSummary.safeParse({ ...row, ...columns, vcpus: -1 }).success).toBe(false)
    const plan = {
      name: 'a',
      active: false,
      persistent: true,
      disks: [
        {
          target: 'vda',
          device: 'disk',
          path: '/p/a.qcow2',
          readonly: false,
          shareable: false,
          volume: { pool: 'default', name: 'a.qcow2', capacityBytes: 1 },
          usedBy: [],
          suggested: true,
        },
        {
          target: 'sda',
          device: 'cdrom',
          readonly: true,
          shareable: false,
          usedBy: [],
          suggested: false,
        },
      ],
      snapshots: 2,
      managedSave: false,
    }
    expect(DeletePlan.parse(plan)).toEqual(plan)
  })

  it('offers at least one action in every state, and start only when the VM can start', () => {
    for (const state of VmState.options) expect(ACTIONS_BY_STATE[state].length).toBeGreaterThan(0)
    expect(ACTIONS_BY_STATE.running).not.toContain('start')
    expect(ACTIONS_BY_STATE.shutoff).toEqual(['start'])
  })
})
