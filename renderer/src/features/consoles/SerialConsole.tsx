import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import type { VmState } from '@common/contract/vms'
import { useConsolesStore } from '../../stores/consoles/store'
import { useVmsStore } from '../../stores/vms/store'
import { SerialStatusLine } from './SerialStatusLine'
import { SerialToolbar } from './SerialToolbar'
import { SerialSession, type SerialSessionState } from './serial-session'
import { createTerminal, type SerialTerminal } from './serial-terminal'

/** States in which QEMU runs, so the VM's consoles exist. */
const RUNNING: ReadonlySet<VmState> = new Set([
  'running',
  'paused',
  'blocked',
  'pmsuspended',
  'shutdown',
])

/** What the console shows before it has a session. */
const IDLE = createStore<SerialSessionState>(() => ({
  status: { kind: 'connecting' },
  devices: [],
  device: undefined,
  connections: 0,
}))

/** Props of {@link SerialConsole}. */
export interface SerialConsoleProps {
  hostId: string
  uuid: string
}

/**
 * A VM's serial console: xterm.js on a byte channel to libvirt's console stream. Output is
 * acknowledged once xterm has written it (flow control); UTF-8 both ways; copy and paste,
 * search, scrollback, fit to the panel. Says what state the console is in, offers to take a
 * busy console over, and reopens by itself when the VM runs again.
 */
export function SerialConsole({ hostId, uuid }: SerialConsoleProps) {
  const { t } = useTranslation()
  const vm = useVmsStore((s) => s.byHost[hostId]?.find((v) => v.uuid === uuid))
  const running = vm !== undefined && RUNNING.has(vm.state)
  const runningRef = useRef(running)
  runningRef.current = running
  const serialDevices = useConsolesStore((s) => s.serialDevices)
  const openSerial = useConsolesStore((s) => s.openSerial)
  const screen = useRef<HTMLDivElement>(null)
  const [session, setSession] = useState<SerialSession>()
  const [terminal, setTerminal] = useState<SerialTerminal>()
  const state = useStore(session?.state ?? IDLE)

  useEffect(() => {
    const term = createTerminal(screen.current!, (data) => current.send(data))
    const current = new SerialSession(
      term,
      {
        devices: () => serialDevices(hostId, uuid),
        open: (device, force) => openSerial(hostId, uuid, device, force),
      },
      runningRef.current,
    )
    setSession(current)
    setTerminal(term)
    return () => {
      current.dispose()
      term.dispose()
    }
  }, [hostId, uuid, serialDevices, openSerial])

  useEffect(() => session?.vmStateChanged(running), [session, running])

  return (
    <section className="serial-console" aria-label={t('consoles.serial.label')}>
      <SerialToolbar session={session} terminal={terminal} state={state} />
      <SerialStatusLine session={session} state={state} />
      <div className="serial-screen" ref={screen} data-testid="serial-terminal" />
    </section>
  )
}
