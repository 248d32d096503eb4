/**
 * One serial console: the byte channel to the VM's console and its observable state, without
 * the terminal itself (a {@link SerialSink} stands for it), so the rules are testable alone:
 * - output goes to the sink and is acknowledged only once the sink has written it (flow
 *   control: main pauses the console stream while too much is unacknowledged);
 * - a console another client holds is `busy`; taking it over opens it with force;
 * - when the channel ends because the VM stopped, the console reopens once the VM runs again.
 * Imperative, like the terminal it feeds; React reads `state` with useStore.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { CONSOLE_BUSY, type SerialDevice } from '@common/contract/consoles'
import { ChannelCloseCode } from '@common/ipc/byte-channel'
import type { ByteSocket } from '../../ipc/byte-socket'

/** Where the console's output goes; `done` runs once the bytes are on the screen. */
export interface SerialSink {
  write(data: Uint8Array, done: () => void): void
}

/** The channel as a session uses it: a ByteSocket opened with autoAck off. */
export type SerialSocket = Pick<
  ByteSocket,
  'onopen' | 'onmessage' | 'onclose' | 'send' | 'ack' | 'close'
>

/** What a session needs from outside (the consoles store in the app, fakes in tests). */
export interface SerialSessionDeps {
  /** The VM's serial devices (consoles.serialDevices). */
  devices(): Promise<SerialDevice[]>
  /** Opens a console's channel; rejects with code `console-busy` when another client holds it. */
  open(device: string | undefined, force: boolean): Promise<SerialSocket>
}

/** Where a console is. */
export type SerialStatus =
  /** The VM is not running; the console opens when it starts. */
  | { kind: 'vm-off' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  /** Another client holds the console; the user may take it over. */
  | { kind: 'busy'; message: string }
  /** The VM has no serial device libvirt can open. */
  | { kind: 'no-device' }
  /** The channel ended normally; `reason` is a SerialCloseReason or main's text. */
  | { kind: 'closed'; reason: string }
  /** Opening failed, or the stream failed; `message` is main's or libvirt's text. */
  | { kind: 'failed'; message: string }

/** What the toolbar and the state line show. */
export interface SerialSessionState {
  status: SerialStatus
  devices: SerialDevice[]
  /** The chosen device's alias. */
  device: string | undefined
  /** Successful connections so far (a reconnect makes it 2 ...). */
  connections: number
}

/**
 * A console that ends while the VM list still says "running" is tried again after this long
 * (the VM may have restarted before its stop reached the list), at most once per
 * {@link RETRY_WINDOW_MS}.
 */
const RETRY_AFTER_MS = 1000
const RETRY_WINDOW_MS = 5000

const hasCode = (err: unknown, code: string): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** A live serial console feeding a sink. */
export class SerialSession {
  /** Observable state for React (useStore). */
  readonly state: StoreApi<SerialSessionState> = createStore<SerialSessionState>(() => ({
    status: { kind: 'connecting' },
    devices: [],
    device: undefined,
    connections: 0,
  }))

  private socket: SerialSocket | undefined
  /** Bumped by every connect and by dispose: events of older sockets are ignored. */
  private generation = 0
  private running: boolean
  private disposed = false
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private lastRetry = -Infinity

  constructor(
    private readonly sink: SerialSink,
    private readonly deps: SerialSessionDeps,
    running: boolean,
  ) {
    this.running = running
    if (running) void this.connect()
    else this.set({ status: { kind: 'vm-off' } })
  }

  /**
   * (Re)opens the console: the chosen device, or the first one libvirt can open. `quiet` (the
   * automatic retry) keeps the current status unless the console opens.
   */
  async connect(force = false, quiet = false): Promise<void> {
    const generation = ++this.generation
    this.clearRetry()
    this.closeSocket()
    if (!quiet) this.set({ status: { kind: 'connecting' } })
    let socket: SerialSocket
    try {
      const devices = await this.deps.devices()
      if (generation !== this.generation) return
      const chosen = this.state.getState().device
      const device =
        devices.find((d) => d.openable && d.alias === chosen) ?? devices.find((d) => d.openable)
      this.set({ devices, device: device?.alias })
      if (!device) {
        if (!quiet) this.set({ status: this.running ? { kind: 'no-device' } : { kind: 'vm-off' } })
        return
      }
      socket = await this.deps.open(device.alias, force)
    } catch (err) {
      if (generation !== this.generation || quiet) return
      this.set({
        status: hasCode(err, CONSOLE_BUSY)
          ? { kind: 'busy', message: messageOf(err) }
          : { kind: 'failed', message: messageOf(err) },
      })
      return
    }
    if (generation !== this.generation) {
      socket.close()
      return
    }
    this.attach(socket, generation)
  }

  /** Takes the console over from the client that holds it. */
  takeOver(): Promise<void> {
    return this.connect(true)
  }

  /** Switches to another device of the VM. */
  chooseDevice(alias: string): Promise<void> {
    this.set({ device: alias })
    return this.connect()
  }

  /** Sends keystrokes or pasted text (UTF-8) to the guest; dropped while not connected. */
  send(data: string | Uint8Array): void {
    if (this.state.getState().status.kind === 'connected') this.socket?.send(data)
  }

  /**
   * The VM list says whether the VM runs. A console that ended while the VM was down (or was
   * waiting for it) reopens when it runs again; a busy or failed one waits for the user.
   */
  vmStateChanged(running: boolean): void {
    const was = this.running
    this.running = running
    if (this.disposed || running === was) return
    const { status } = this.state.getState()
    if (!running && (status.kind === 'no-device' || status.kind === 'connecting')) {
      this.generation++
      this.closeSocket()
      this.set({ status: { kind: 'vm-off' } })
    } else if (
      running &&
      (status.kind === 'vm-off' || status.kind === 'closed' || status.kind === 'no-device')
    ) {
      void this.connect()
    }
  }

  /** Closes the channel for good. */
  dispose(): void {
    this.disposed = true
    this.generation++
    this.clearRetry()
    this.closeSocket()
  }

  private attach(socket: SerialSocket, generation: number): void {
    this.socket = socket
    const current = () => generation === this.generation
    socket.onopen = () => {
      if (!current()) return
      this.set({
        status: { kind: 'connected' },
        connections: this.state.getState().connections + 1,
      })
    }
    socket.onmessage = (event) => {
      if (!current()) return
      const bytes = new Uint8Array(event.data)
      // Acknowledged once on screen, so a slow terminal holds the console back.
      this.sink.write(bytes, () => socket.ack(bytes.byteLength))
    }
    socket.onclose = (event) => {
      if (!current()) return
      this.socket = undefined
      const failed =
        event.code === ChannelCloseCode.failed || event.code === ChannelCloseCode.badTicket
      this.set({
        status: failed
          ? { kind: 'failed', message: event.reason }
          : { kind: 'closed', reason: event.reason },
      })
      if (!failed && this.running) this.retrySoon()
    }
  }

  private retrySoon(): void {
    const now = Date.now()
    if (now - this.lastRetry < RETRY_WINDOW_MS) return
    this.lastRetry = now
    const generation = this.generation
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      void this.reopenIfOpenable(generation)
    }, RETRY_AFTER_MS)
  }

  /** Reopens a closed console if it can; else it stays closed, saying why. */
  private async reopenIfOpenable(generation: number): Promise<void> {
    const { status } = this.state.getState()
    if (generation === this.generation && this.running && status.kind === 'closed') {
      await this.connect(false, true)
    }
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
  }

  private closeSocket(): void {
    const socket = this.socket
    this.socket = undefined
    socket?.close()
  }

  private set(patch: Partial<SerialSessionState>): void {
    if (!this.disposed) this.state.setState(patch)
  }
}
