/**
 * One VNC console: noVNC's RFB client on a byte channel main opened to the VM's VNC server,
 * plus what RFB leaves to its user: the password from the domain XML, reconnecting when the
 * VM restarts, and a small observable state for the toolbar and messages. Imperative on
 * purpose (RFB is); React reads `state` with useStore.
 */
import RFB from '@novnc/novnc'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { VncProblem, type VncChannel } from '@common/contract/graphics'
import { openByteSocket } from '../../ipc/byte-socket'
import { comboStrokes, textToStrokes, type Key, type KeyStroke } from './keysyms'

/** How the guest's screen fits the console area. */
export type ScaleMode = 'fit' | 'native' | 'remote'

/** Where a console is. */
export type VncStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  /** Nothing to connect to (no VNC display, remote host ...): the message says why. */
  | { kind: 'problem'; problem: VncProblem }
  /** The VM is not running; the console connects when it starts. */
  | { kind: 'vm-off' }
  /** The connection dropped while the VM runs (a restart): trying again shortly. */
  | { kind: 'reconnecting'; attempt: number }
  /** The server wants a password the app does not know, or refused the one it sent. */
  | { kind: 'needs-password'; refused: boolean }
  | { kind: 'error'; message: string }

/** What the toolbar and messages show. */
export interface VncSessionState {
  status: VncStatus
  /** Where main connected (`127.0.0.1:5900`, `unix:/path`). */
  endpoint: string | undefined
  desktopName: string | undefined
  /** The last text the guest put on its clipboard. */
  guestClipboard: string | undefined
  /** Successful connections so far (a reconnect makes it 2 ...). */
  connections: number
}

/** What a session needs from outside. */
export interface VncSessionDeps {
  /** Asks main to connect to the VM's VNC server (graphics.openVnc). */
  open(): Promise<VncChannel>
  /** Whether the VM runs now (from the VM list). */
  isVmRunning(): boolean
}

/** Waits between reconnect attempts after a drop; then the user decides. */
const RECONNECT_DELAYS_MS = [300, 1000, 2000, 4000, 8000]
/** Strokes sent per tick when typing text, so the page stays responsive. */
const STROKES_PER_TICK = 64

const PROBLEMS = new Set<string>(VncProblem.options)

/** A live VNC console in a target element. */
export class VncSession {
  /** Observable state for React (useStore). */
  readonly state: StoreApi<VncSessionState> = createStore<VncSessionState>(() => ({
    status: { kind: 'connecting' },
    endpoint: undefined,
    desktopName: undefined,
    guestClipboard: undefined,
    connections: 0,
  }))

  private rfb: RFB | undefined
  private password: string | undefined
  private passwordSent = false
  private authRefused = false
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private generation = 0
  private disposed = false
  private scale: ScaleMode = 'fit'

  constructor(
    private readonly target: HTMLElement,
    private readonly deps: VncSessionDeps,
  ) {}

  /** Connects (again); a connection in place is dropped first. */
  async connect(): Promise<void> {
    if (this.disposed) return
    this.clearRetry()
    this.closeRfb()
    const generation = ++this.generation
    this.set({
      status:
        this.attempt > 0 ? { kind: 'reconnecting', attempt: this.attempt } : { kind: 'connecting' },
    })
    let channel: VncChannel
    try {
      channel = await this.deps.open()
    } catch (err) {
      if (generation !== this.generation || this.disposed) return
      this.openFailed(err as Error & { code?: unknown })
      return
    }
    if (generation !== this.generation || this.disposed) {
      // Superseded while main connected: open and close the channel so main lets go at once.
      openByteSocket(channel.ticket).close()
      return
    }
    this.password = channel.password ?? this.password
    this.passwordSent = false
    this.authRefused = false
    this.set({ endpoint: channel.endpoint })
    this.attach(channel.ticket, generation)
  }

  /** The VM list says the VM started or stopped. */
  setVmRunning(running: boolean): void {
    const { status } = this.state.getState()
    if (running && status.kind === 'vm-off') {
      this.attempt = 0
      void this.connect()
    }
    if (!running && status.kind === 'reconnecting') {
      this.clearRetry()
      this.set({ status: { kind: 'vm-off' } })
    }
  }

  /** Answers a password prompt (the server asked for one the XML did not give). */
  submitPassword(password: string): void {
    this.password = password
    if (this.rfb && !this.authRefused && this.state.getState().status.kind === 'needs-password') {
      this.passwordSent = true
      this.rfb.sendCredentials({ username: '', password, target: '' })
      this.set({ status: { kind: 'connecting' } })
      return
    }
    this.attempt = 0
    void this.connect()
  }

  /** How the screen fits: scaled to the area, 1:1 with scroll bars, or the guest resized. */
  setScaleMode(mode: ScaleMode): void {
    this.scale = mode
    if (this.rfb) applyScale(this.rfb, mode)
  }

  /** Presses a combination (all down in order, up in reverse). */
  sendCombo(keys: readonly Key[]): void {
    this.sendStrokes(comboStrokes(keys))
    this.rfb?.focus({ preventScroll: true })
  }

  /** Types text as key presses; resolves with the number of characters it could not type. */
  async typeText(text: string): Promise<number> {
    const { strokes, skipped } = textToStrokes(text)
    for (let i = 0; i < strokes.length; i += STROKES_PER_TICK) {
      if (!this.rfb) break
      this.sendStrokes(strokes.slice(i, i + STROKES_PER_TICK))
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    return skipped
  }

  /** Puts text on the guest's clipboard (where the server supports clipboard transfer). */
  sendClipboard(text: string): void {
    this.rfb?.clipboardPasteFrom(text)
  }

  /** Gives the guest the keyboard (focuses the screen). */
  focus(): void {
    this.rfb?.focus({ preventScroll: true })
  }

  /** Ends the console for good: closes the connection, stops reconnecting. */
  dispose(): void {
    this.disposed = true
    this.generation++
    this.clearRetry()
    this.closeRfb()
  }

  private attach(ticket: string, generation: number): void {
    const channel = openByteSocket(ticket)
    // ByteSocket has what noVNC's Websock checks for in a raw channel (send, close, binaryType,
    // readyState, protocol and the on* handlers).
    const rfb = new RFB(this.target, channel as unknown as WebSocket, { shared: true })
    this.rfb = rfb
    applyScale(rfb, this.scale)
    rfb.background = 'rgb(24, 24, 27)'
    rfb.addEventListener('connect', () => {
      if (generation !== this.generation) return
      this.attempt = 0
      this.set({
        status: { kind: 'connected' },
        connections: this.state.getState().connections + 1,
      })
    })
    rfb.addEventListener('credentialsrequired', () => {
      if (generation !== this.generation) return
      if (this.password !== undefined && !this.passwordSent) {
        this.passwordSent = true
        rfb.sendCredentials({ username: '', password: this.password, target: '' })
        return
      }
      this.set({ status: { kind: 'needs-password', refused: false } })
    })
    rfb.addEventListener('securityfailure', () => {
      if (generation !== this.generation) return
      this.authRefused = true
      this.set({ status: { kind: 'needs-password', refused: true } })
    })
    rfb.addEventListener('clipboard', (e) => {
      if (generation === this.generation) this.set({ guestClipboard: e.detail.text })
    })
    rfb.addEventListener('desktopname', (e) => {
      if (generation === this.generation) this.set({ desktopName: e.detail.name })
    })
    rfb.addEventListener('disconnect', () => {
      if (generation !== this.generation || this.disposed) return
      this.rfb = undefined
      this.dropped()
    })
  }

  /** The connection ended without us asking: wait for the VM, retry, or leave it to the user. */
  private dropped(): void {
    const status = this.state.getState().status
    if (status.kind === 'needs-password') return // a refused password: the user answers
    if (!this.deps.isVmRunning()) {
      this.set({ status: { kind: 'vm-off' } })
      return
    }
    this.retryLater()
  }

  private openFailed(err: Error & { code?: unknown }): void {
    const code = typeof err.code === 'string' ? err.code : ''
    if (code === 'not-running') {
      // The VM list may not have heard of the stop (or the new start) yet: ask again shortly.
      if (this.deps.isVmRunning()) this.retryLater(err.message)
      else this.set({ status: { kind: 'vm-off' } })
      return
    }
    if (PROBLEMS.has(code)) {
      this.set({ status: { kind: 'problem', problem: code as VncProblem } })
      return
    }
    // Reconnecting after a drop: keep trying for a while (QEMU may be restarting).
    if (this.attempt > 0 && this.deps.isVmRunning()) {
      this.retryLater(err.message)
      return
    }
    this.set({ status: { kind: 'error', message: err.message } })
  }

  private retryLater(lastError?: string): void {
    const delay = RECONNECT_DELAYS_MS[this.attempt]
    if (delay === undefined) {
      this.attempt = 0
      this.set({ status: { kind: 'error', message: lastError ?? 'The connection was lost.' } })
      return
    }
    this.attempt++
    this.set({ status: { kind: 'reconnecting', attempt: this.attempt } })
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      void this.connect()
    }, delay)
  }

  private sendStrokes(strokes: readonly KeyStroke[]): void {
    for (const s of strokes) this.rfb?.sendKey(s.keysym, s.code, s.down)
  }

  private closeRfb(): void {
    const rfb = this.rfb
    this.rfb = undefined
    if (!rfb) return
    try {
      rfb.disconnect()
    } catch {
      // Already disconnected.
    }
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
  }

  private set(patch: Partial<VncSessionState>): void {
    if (!this.disposed) this.state.setState(patch)
  }
}

function applyScale(rfb: RFB, mode: ScaleMode): void {
  rfb.scaleViewport = mode === 'fit'
  rfb.resizeSession = mode === 'remote'
  rfb.clipViewport = false
}
