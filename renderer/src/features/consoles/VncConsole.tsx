import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'
import type { GraphicsDescription } from '@common/contract/graphics'
import type { VmState } from '@common/contract/vms'
import { ErrorText } from '../../components/ErrorText'
import { useGraphicsStore } from '../../stores/graphics/store'
import { useVmsStore } from '../../stores/vms/store'
import { ClipboardPanel } from './ClipboardPanel'
import { openConsoleWindow } from './console-route'
import { VncProblemMessage, VncStatusMessage } from './VncMessages'
import { VncToolbar } from './VncToolbar'
import { base64ToBytes, saveBytes } from './save-file'
import { VncSession, type ScaleMode, type VncSessionState } from './vnc-session'

/** States in which QEMU runs, so its VNC server answers. */
const RUNNING: ReadonlySet<VmState> = new Set([
  'running',
  'paused',
  'blocked',
  'pmsuspended',
  'shutdown',
])

/** What the console shows before it has a session. */
const IDLE = createStore<VncSessionState>(() => ({
  status: { kind: 'connecting' },
  endpoint: undefined,
  desktopName: undefined,
  guestClipboard: undefined,
  connections: 0,
}))

/** Props of {@link VncConsole}. */
export interface VncConsoleProps {
  hostId: string
  uuid: string
  /** In a window of its own: no "open in new window", and the screen fills the window. */
  detached?: boolean
  /** Switches to the serial console, where the surrounding view has one. */
  onOpenSerialConsole?: () => void
}

/**
 * A VM's graphical console: noVNC on a byte channel to the VM's VNC server. Says plainly
 * when there is nothing to show (no VNC, SPICE only, a remote host, the VM is off) and
 * reconnects by itself when the VM restarts.
 */
export function VncConsole({
  hostId,
  uuid,
  detached = false,
  onOpenSerialConsole,
}: VncConsoleProps) {
  const { t } = useTranslation()
  const vm = useVmsStore((s) => s.byHost[hostId]?.find((v) => v.uuid === uuid))
  const running = vm !== undefined && RUNNING.has(vm.state)
  const runningRef = useRef(running)
  runningRef.current = running
  const describe = useGraphicsStore((s) => s.describe)
  const openVnc = useGraphicsStore((s) => s.openVnc)
  const takeScreenshot = useGraphicsStore((s) => s.screenshot)

  const [description, setDescription] = useState<GraphicsDescription>()
  const [describeError, setDescribeError] = useState<string>()
  const [session, setSession] = useState<VncSession>()
  const [scale, setScale] = useState<ScaleMode>('fit')
  const [grabbed, setGrabbed] = useState(false)
  const [fullscreen, setFullscreen] = useState(false)
  const [clipboardOpen, setClipboardOpen] = useState(false)
  const [note, setNote] = useState<{ text: string; error: boolean }>()
  const [shooting, setShooting] = useState(false)
  const [startError, setStartError] = useState<string>()
  const root = useRef<HTMLDivElement>(null)
  const screen = useRef<HTMLDivElement>(null)
  const state = useStore(session?.state ?? IDLE)

  // Displays: at first, and again when the VM starts or stops (its XML may have changed).
  useEffect(() => {
    let current = true
    describe(hostId, uuid)
      .then((d) => {
        if (!current) return
        setDescription(d)
        setDescribeError(undefined)
      })
      .catch((err: Error) => current && setDescribeError(err.message))
    return () => {
      current = false
    }
  }, [describe, hostId, uuid, running])

  const problem = description?.vncProblem
  const canConnect = description !== undefined && (!problem || problem === 'not-running')

  useEffect(() => {
    if (!canConnect || !screen.current) return
    const s = new VncSession(screen.current, {
      open: () => openVnc(hostId, uuid),
      isVmRunning: () => runningRef.current,
    })
    setSession(s)
    void s.connect()
    return () => {
      s.dispose()
      setSession(undefined)
    }
  }, [canConnect, openVnc, hostId, uuid])

  useEffect(() => session?.setVmRunning(running), [session, running])
  useEffect(() => session?.setScaleMode(scale), [session, scale])

  // The keyboard goes to the guest while the screen (noVNC's canvas) has focus.
  useEffect(() => {
    const el = screen.current
    if (!el) return
    const update = () => setGrabbed(el.contains(document.activeElement))
    el.addEventListener('focusin', update)
    el.addEventListener('focusout', update)
    return () => {
      el.removeEventListener('focusin', update)
      el.removeEventListener('focusout', update)
    }
  }, [canConnect])

  useEffect(() => {
    const update = () => setFullscreen(document.fullscreenElement === root.current)
    document.addEventListener('fullscreenchange', update)
    return () => document.removeEventListener('fullscreenchange', update)
  }, [])

  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) void document.exitFullscreen()
    else void root.current?.requestFullscreen().then(() => session?.focus())
  }, [session])

  const screenshot = async () => {
    setShooting(true)
    try {
      const shot = await takeScreenshot(hostId, uuid)
      if (!shot.pngBase64) throw new Error('no image data')
      saveBytes(shot.fileName, base64ToBytes(shot.pngBase64), 'image/png')
      const text = t('vnc.screenshot.saved', {
        file: shot.fileName,
        width: shot.width,
        height: shot.height,
      })
      setNote({ text, error: false })
    } catch (err) {
      setNote({
        text: t('vnc.screenshot.failed', { message: (err as Error).message }),
        error: true,
      })
    } finally {
      setShooting(false)
    }
  }

  const startVm = useMemo(() => {
    if (!vm || !(vm.state === 'shutoff' || vm.state === 'crashed')) return undefined
    return () => {
      setStartError(undefined)
      void useVmsStore
        .getState()
        .act(hostId, [vm], 'start')
        .then((failures) => setStartError(failures[0]))
    }
  }, [vm, hostId])

  if (describeError)
    return <ErrorText message={t('vnc.status.error', { message: describeError })} />
  if (!description) return <p className="muted">{t('vnc.status.connecting')}</p>
  if (!canConnect && problem) {
    return (
      <VncProblemMessage
        problem={problem}
        devices={description.devices}
        onOpenSerialConsole={onOpenSerialConsole}
      />
    )
  }

  const connected = state.status.kind === 'connected'
  return (
    <div
      ref={root}
      className={`vnc-console ${detached ? 'detached' : ''}`}
      role="region"
      aria-label={t('vnc.regionLabel', { name: vm?.name ?? uuid })}
      data-status={state.status.kind}
      data-connections={state.connections}
    >
      <VncToolbar
        connected={connected}
        scale={scale}
        onScale={setScale}
        fullscreen={fullscreen}
        onFullscreen={toggleFullscreen}
        onSendCombo={(combo) => session?.sendCombo(combo.keys)}
        clipboardOpen={clipboardOpen}
        onClipboard={() => setClipboardOpen((o) => !o)}
        screenshotBusy={shooting}
        onScreenshot={() => void screenshot()}
        onDetach={detached ? undefined : () => openConsoleWindow({ kind: 'vnc', hostId, uuid })}
        grabbed={grabbed}
      />
      {clipboardOpen && (
        <ClipboardPanel
          guestText={state.guestClipboard}
          connected={connected}
          onSendToGuest={(text) => session?.sendClipboard(text)}
          onType={(text) => session?.typeText(text) ?? Promise.resolve(0)}
        />
      )}
      <div className="vnc-body">
        <div ref={screen} className={`vnc-screen scale-${scale}`} data-testid="vnc-screen" />
        <VncStatusMessage
          status={state.status}
          onStartVm={startVm}
          startError={startError}
          onReconnect={() => void session?.connect()}
          onPassword={(pw) => session?.submitPassword(pw)}
          onOpenSerialConsole={onOpenSerialConsole}
        />
      </div>
      <p className={note?.error ? 'error-text' : 'hint vnc-status-line'} role="status">
        {note?.text ??
          (connected && state.endpoint
            ? t('vnc.status.connected', { endpoint: state.endpoint })
            : '')}
      </p>
    </div>
  )
}
