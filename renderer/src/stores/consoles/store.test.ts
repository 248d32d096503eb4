import { beforeEach, describe, expect, it } from 'vitest'
import { CONSOLE_BUSY } from '@common/contract/consoles'
import { setApi } from '../../ipc/api'
import type { Api } from '../../ipc/client'
import { initialConsolesState } from './initial-state'
import { consolesSelectors } from './selectors'
import { useConsolesStore } from './store'

const TICKET = 'A'.repeat(43)
const busy = () => Object.assign(new Error('Active console session exists'), { code: CONSOLE_BUSY })
/** What openSerial answers, one entry per call (the last one repeats). */
let answers: ('busy' | 'ok')[] = []
let calls = 0

beforeEach(() => {
  useConsolesStore.setState(initialConsolesState)
  calls = 0
  setApi({
    consoles: {
      openSerial: () => {
        const answer = answers[Math.min(calls++, answers.length - 1)]
        return answer === 'busy' ? Promise.reject(busy()) : Promise.resolve({ ticket: TICKET })
      },
    },
  } as unknown as Api)
})

describe('consoles store', () => {
  it('reports a console another client holds as busy at once', async () => {
    answers = ['busy']
    await expect(useConsolesStore.getState().openSerial('h', 'vm-a')).rejects.toMatchObject({
      code: CONSOLE_BUSY,
    })
    expect(calls).toBe(1)
  })

  it('retries a busy console this page has just closed (its old session is going away)', async () => {
    answers = ['ok']
    const first = await useConsolesStore.getState().openSerial('h', 'vm-b', 'serial0')
    first.close()
    answers = ['busy', 'busy', 'ok']
    calls = 0
    const second = await useConsolesStore.getState().openSerial('h', 'vm-b', 'serial0')
    expect(calls).toBe(3)
    second.close()
  })

  it('retries a busy console another window of the app has just handed over', async () => {
    useConsolesStore.getState().expectHandOver('h', 'vm-c')
    answers = ['busy', 'ok']
    calls = 0
    const socket = await useConsolesStore.getState().openSerial('h', 'vm-c')
    expect(calls).toBe(2)
    socket.close()
  })

  it('remembers which serial consoles moved to a window of their own', () => {
    const { setSerialInWindow } = useConsolesStore.getState()
    setSerialInWindow('h', 'vm-d', true)
    setSerialInWindow('h', 'vm-e', true)
    expect(consolesSelectors.serialInWindow('h', 'vm-d')(useConsolesStore.getState())).toBe(true)
    setSerialInWindow('h', 'vm-d', false)
    expect(consolesSelectors.serialInWindow('h', 'vm-d')(useConsolesStore.getState())).toBe(false)
    expect(consolesSelectors.serialInWindow('h', 'vm-e')(useConsolesStore.getState())).toBe(true)
  })
})
