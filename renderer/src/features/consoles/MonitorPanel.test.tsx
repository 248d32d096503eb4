import { act } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { initI18n } from '../../i18n'
import { setApi } from '../../ipc/api'
import type { Api } from '../../ipc/client'
import { initialConsolesState } from '../../stores/consoles/initial-state'
import { useConsolesStore } from '../../stores/consoles/store'
import { useVmsStore } from '../../stores/vms/store'
import { MonitorPanel } from './MonitorPanel'

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean
}

const HOST = 'h'
const UUID = '8f4c2a1e-7b3d-4e5f-9a0b-1c2d3e4f5a6b'
/** What the fake monitor was asked. */
const asked: string[] = []

/** The consoles service as main answers it: QEMU's text, or libvirt's error. */
const consoles = {
  monitor: ({ command }: { command: string }) => {
    asked.push(command)
    if (command === 'info block') {
      return Promise.reject(new Error('Requested operation is not valid: domain is not running'))
    }
    return Promise.resolve(command === 'info status' ? 'VM status: running\r\n' : '')
  },
}

let container: HTMLDivElement
let root: Root

beforeAll(async () => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true
  await initI18n()
  setApi({ consoles } as unknown as Api)
})

beforeEach(() => {
  asked.length = 0
  useConsolesStore.setState(initialConsolesState)
  useVmsStore.setState({
    byHost: {
      [HOST]: [
        {
          hostId: HOST,
          uuid: UUID,
          name: 'vm',
          state: 'running',
          id: 1,
          vcpus: 1,
          memoryKiB: 1024,
          autostart: false,
          persistent: true,
        },
      ],
    },
  })
  container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
  act(() => root.render(<MonitorPanel hostId={HOST} uuid={UUID} />))
})

afterEach(() => {
  act(() => root.unmount())
  container.remove()
})

const input = () => container.querySelector('input')!
const log = () => container.querySelector('[role=log]')!

/** Types into the controlled input as a user would. */
function type(value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
  act(() => {
    setter.call(input(), value)
    input().dispatchEvent(new Event('input', { bubbles: true }))
  })
}

async function run(command: string) {
  type(command)
  await act(async () => {
    container.querySelector('form')!.requestSubmit()
    await new Promise((r) => setTimeout(r, 0))
  })
}

function press(key: 'ArrowUp' | 'ArrowDown') {
  act(() => {
    input().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
  })
}

describe('MonitorPanel', () => {
  it('warns that the monitor bypasses libvirt', () => {
    expect(container.querySelector('[role=note]')!.textContent).toMatch(/bypasses libvirt/)
  })

  it('runs commands and logs answers and libvirt’s errors', async () => {
    await run('  info status  ')
    expect(asked).toEqual(['info status'])
    expect(log().textContent).toContain('(qemu) info status')
    expect(log().textContent).toContain('VM status: running')
    expect(input().value).toBe('')

    await run('info block')
    const alert = log().querySelector('[role=alert]')!
    expect(alert.textContent).toBe('Requested operation is not valid: domain is not running')

    await run('stop-nothing')
    expect(log().textContent).toContain('(no output)')
  })

  it('recalls earlier commands with Up and Down, back to the unfinished line', async () => {
    await run('info status')
    await run('info block')
    await run('info block') // a repeat is not a new history entry
    type('info reg')
    press('ArrowUp')
    expect(input().value).toBe('info block')
    press('ArrowUp')
    expect(input().value).toBe('info status')
    press('ArrowUp')
    expect(input().value).toBe('info status')
    press('ArrowDown')
    expect(input().value).toBe('info block')
    press('ArrowDown')
    expect(input().value).toBe('info reg')
  })

  it('ignores an empty line and clears the output on request', async () => {
    await run('   ')
    expect(asked).toEqual([])
    await run('info status')
    const clear = [...container.querySelectorAll('button')].find(
      (b) => b.textContent === 'Clear output',
    )!
    act(() => clear.click())
    expect(log().textContent).not.toContain('VM status')
    press('ArrowUp')
    expect(input().value).toBe('info status') // the history stays
  })
})
