import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import type { VmState } from '@common/contract/vms'
import { consolesSelectors } from '../../stores/consoles/selectors'
import { useConsolesStore } from '../../stores/consoles/store'
import { useVmsStore } from '../../stores/vms/store'
import { openConsoleWindow } from './console-route'
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
  /** In a window of its own: no "open in new window", and the terminal fills the window. */
  detached?: boolean
}

/**
 * A VM's serial console: xterm.js on a byte channel to libvirt's console stream. Output is
 * acknowledged once xterm has written it (flow control); UTF-8 both ways; copy and paste,
 * search, scrollback, fit to the panel. Says what state the console is in, offers to take a
 * busy console over, and reopens by itself when the VM runs again.
 *
 * A console moved to a window of its own leaves the details: libvirt lets one client hold a
 * console, so the details close theirs and say where it went, until asked to show it again.
 */
export function SerialConsole({ hostId, uuid, detached = false }: SerialConsoleProps) {
  const inWindow = useConsolesStore(consolesSelectors.serialInWindow(hostId, uuid))
  if (inWindow && !detached) return <SerialInWindow hostId={hostId} uuid={uuid} />
  return <SerialTerminalPanel hostId={hostId} uuid={uuid} detached={detached} />
}

/** Where the details' serial console went, and the way back. */
function SerialInWindow({ hostId, uuid }: { hostId: string; uuid: string }) {
  const { t } = useTranslation()
  const setSerialInWindow = useConsolesStore((s) => s.setSerialInWindow)
  const expectHandOver = useConsolesStore((s) => s.expectHandOver)
  // The window may have just closed, its session still going away: not another client.
  const showHere = () => {
    expectHandOver(hostId, uuid)
    setSerialInWindow(hostId, uuid, false)
  }
  return (
    <section className="serial-console serial-in-window" aria-label={t('consoles.serial.label')}>
      <p className="serial-status" role="status" data-testid="serial-status" data-state="in-window">
        {t('consoles.serial.inWindow')}
      </p>
      <div>
        <button type="button" className="button" onClick={showHere}>
          {t('consoles.serial.showHere')}
        </button>
      </div>
    </section>
  )
}

/** The terminal and its session (see {@link SerialConsole}). */
function SerialTerminalPanel({ hostId, uuid, detached }: Required<SerialConsoleProps>) {
  const { t } = useTranslation()
  const vm = useVmsStore((s) => s.byHost[hostId]?.find((v) => v.uuid === uuid))
  const running = vm !== undefined && RUNNING.has(vm.state)
  const runningRef = useRef(running)
  runningRef.current = running
  const serialDevices = useConsolesStore((s) => s.serialDevices)
  const openSerial = useConsolesStore((s) => s.openSerial)
  const setSerialInWindow = useConsolesStore((s) => s.setSerialInWindow)
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

  // The details let go of the console (this panel unmounts, closing its channel) before the
  // window opens it.
  const detach = () => {
    setSerialInWindow(hostId, uuid, true)
    openConsoleWindow({ kind: 'serial', hostId, uuid })
  }

  return (
    <section
      className={`serial-console ${detached ? 'detached' : ''}`}
      aria-label={t('consoles.serial.label')}
    >
      <SerialToolbar
        session={session}
        terminal={terminal}
        state={state}
        onDetach={detached ? undefined : detach}
      />
      <SerialStatusLine session={session} state={state} />
      <div className="serial-screen" ref={screen} data-testid="serial-terminal" />
    </section>
  )
}
