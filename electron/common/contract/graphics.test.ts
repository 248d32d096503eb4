import { describe, expect, it } from 'vitest'
import { graphics } from './graphics'

describe('graphics contract', () => {
  const ok = { hostId: 'h1', uuid: 'a00148d7-34cb-4cc6-b0f8-75ccc37979f2' }

  it('takes a VM reference and refuses malformed ones', () => {
    for (const input of [graphics.spec.describe.input, graphics.spec.openVnc.input]) {
      expect(input.safeParse(ok).success).toBe(true)
      expect(input.safeParse({ ...ok, uuid: 'virtdeck-vnc' }).success).toBe(false)
      expect(input.safeParse({ ...ok, hostId: '' }).success).toBe(false)
    }
  })

  it('accepts only absolute .png paths for a screenshot file', () => {
    const shot = graphics.spec.screenshot.input
    expect(shot.safeParse(ok).success).toBe(true)
    expect(shot.safeParse({ ...ok, path: '/home/me/vm.png', overwrite: true }).success).toBe(true)
    expect(shot.safeParse({ ...ok, path: 'C:\\Users\\me\\vm.PNG' }).success).toBe(true)
    for (const path of ['vm.png', '../vm.png', '/home/me/vm.txt', '/tmp/a\0b.png', '']) {
      expect(shot.safeParse({ ...ok, path }).success).toBe(false)
    }
    expect(shot.safeParse({ ...ok, screen: -1 }).success).toBe(false)
    expect(shot.safeParse({ ...ok, screen: 1.5 }).success).toBe(false)
  })
})
