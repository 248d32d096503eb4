import { describe, expect, it } from 'vitest'
import { ConsoleAlias, consoles, MONITOR_COMMAND_MAX } from './consoles'

const ref = { hostId: 'h', uuid: '8f4c2a1e-7b3d-4e5f-9a0b-1c2d3e4f5a6b' }
const monitorInput = consoles.spec.monitor.input
const openInput = consoles.spec.openSerial.input

describe('consoles contract', () => {
  it('accepts an HMP command line and trims it', () => {
    const parsed = monitorInput.parse({ ...ref, command: '  info status \t' })
    expect(parsed.command).toBe('info status')
  })

  it('refuses empty, over-long and multi-line commands with a clear message', () => {
    const message = (command: string) =>
      monitorInput.safeParse({ ...ref, command }).error?.issues[0]?.message
    expect(message('   ')).toBe('the command is empty')
    expect(message('x'.repeat(MONITOR_COMMAND_MAX + 1))).toMatch(/longer than 1024/)
    expect(message('info status\nquit')).toMatch(/control characters/)
    expect(message('info\u0000')).toMatch(/control characters/)
    expect(
      monitorInput.safeParse({ ...ref, command: 'x'.repeat(MONITOR_COMMAND_MAX) }).success,
    ).toBe(true)
  })

  it('takes device aliases only, and force as a boolean', () => {
    expect(ConsoleAlias.safeParse('serial0').success).toBe(true)
    expect(ConsoleAlias.safeParse('console1').success).toBe(true)
    expect(ConsoleAlias.safeParse('../x y').success).toBe(false)
    expect(ConsoleAlias.safeParse('').success).toBe(false)
    expect(openInput.safeParse({ ...ref, device: 'serial0', force: true }).success).toBe(true)
    expect(openInput.safeParse({ ...ref, force: 'yes' }).success).toBe(false)
    expect(openInput.safeParse({ ...ref, uuid: 'not-a-uuid' }).success).toBe(false)
  })
})
