import { describe, expect, it } from 'vitest'
import { vmDetails } from './vm-details'

describe('vmDetails contract', () => {
  const ok = { hostId: 'h1', uuid: '6e448c71-07f7-4258-9eca-a59eed065ea1' }

  it('accepts a VM reference and refuses malformed ones', () => {
    const get = vmDetails.spec.get.input
    expect(get.safeParse(ok).success).toBe(true)
    expect(get.safeParse({ ...ok, uuid: 'virtdeck-linux' }).success).toBe(false)
    expect(get.safeParse({ ...ok, hostId: '' }).success).toBe(false)
    expect(get.safeParse({ ...ok, hostId: 'h'.repeat(65) }).success).toBe(false)
    expect(get.safeParse({ hostId: 'h1' }).success).toBe(false)
  })

  it('takes an optional boolean inactive flag for the XML', () => {
    const xml = vmDetails.spec.xml.input
    expect(xml.safeParse(ok).success).toBe(true)
    expect(xml.safeParse({ ...ok, inactive: true }).success).toBe(true)
    expect(xml.safeParse({ ...ok, inactive: 'yes' }).success).toBe(false)
  })
})
