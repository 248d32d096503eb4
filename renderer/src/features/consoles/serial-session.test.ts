import { afterEach, describe, expect, it, vi } from 'vitest'
import { CONSOLE_BUSY, SerialCloseReason, type SerialDevice } from '@common/contract/consoles'
import { ChannelCloseCode } from '@common/ipc/byte-channel'
import { SerialSession, type SerialSessionDeps, type SerialSocket } from './serial-session'

/** The page's end of a channel, driven by the test. */
class FakeSocket implements SerialSocket {
  onopen: SerialSocket['onopen'] = null
  onmessage: SerialSocket['onmessage'] = null
  onclose: SerialSocket['onclose'] = null
  onerror = null
  readonly sent: (string | Uint8Array)[] = []
  acked = 0
  closed = false

  send(data: string | ArrayBuffer | ArrayBufferView): void {
    this.sent.push(data as string | Uint8Array)
  }
  ack(bytes: number): void {
    this.acked += bytes
  }
  close(): void {
    this.closed = true
  }
  open(): void {
    this.onopen?.({ type: 'open' })
  }
  receive(text: string): void {
    this.onmessage?.({ data: new TextEncoder().encode(text).buffer as ArrayBuffer })
  }
  end(code: number, reason: string): void {
    this.onclose?.({ code, reason, wasClean: code !== ChannelCloseCode.failed })
  }
}

/** A terminal that writes when told to (`flush`), like xterm's asynchronous write. */
class FakeSink {
  readonly written: string[] = []
  private readonly pending: (() => void)[] = []
  write(data: Uint8Array, done: () => void): void {
    this.written.push(new TextDecoder().decode(data))
    this.pending.push(done)
  }
  flush(): void {
    for (const done of this.pending.splice(0)) done()
  }
}

const serial0: SerialDevice = { kind: 'serial', alias: 'serial0', type: 'pty', openable: true }
const fileSerial: SerialDevice = {
  kind: 'serial',
  alias: 'serial1',
  type: 'file',
  openable: false,
  unavailable: 'not-pty',
}
const virtioConsole: SerialDevice = {
  kind: 'console',
  alias: 'console1',
  type: 'pty',
  targetType: 'virtio',
  openable: true,
}

/** Deps whose `open` hands out fake sockets (or fails as `fail` says) and records its calls. */
function fakeDeps(devices: SerialDevice[] = [serial0]) {
  const sockets: FakeSocket[] = []
  const opens: { device: string | undefined; force: boolean }[] = []
  let fail: Error | undefined
  const deps: SerialSessionDeps = {
    devices: () => Promise.resolve(devices),
    open: (device, force) => {
      opens.push({ device, force })
      if (fail) return Promise.reject(fail)
      const socket = new FakeSocket()
      sockets.push(socket)
      return Promise.resolve(socket)
    },
  }
  return {
    deps,
    sockets,
    opens,
    failWith: (err: Error | undefined) => (fail = err),
    last: () => sockets.at(-1)!,
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0))
const busyError = () =>
  Object.assign(new Error('Active console session exists'), { code: CONSOLE_BUSY })

afterEach(() => vi.useRealTimers())

describe('SerialSession', () => {
  it('opens the first device libvirt can open and acknowledges output once it is written', async () => {
    const sink = new FakeSink()
    const f = fakeDeps([fileSerial, serial0, virtioConsole])
    const session = new SerialSession(sink, f.deps, true)
    await settle()
    expect(f.opens).toEqual([{ device: 'serial0', force: false }])
    session.send('dropped: not open yet')
    f.last().open()
    expect(session.state.getState()).toMatchObject({
      status: { kind: 'connected' },
      device: 'serial0',
      connections: 1,
    })
    f.last().receive('virtdeck# ')
    f.last().receive('中文')
    expect(sink.written).toEqual(['virtdeck# ', '中文'])
    expect(f.last().acked).toBe(0) // not on screen yet
    sink.flush()
    expect(f.last().acked).toBe(10 + 6)
    session.send('ls /\r')
    expect(f.last().sent).toEqual(['ls /\r'])
    session.dispose()
  })

  it('reports a busy console and takes it over with force when asked', async () => {
    const f = fakeDeps()
    f.failWith(busyError())
    const session = new SerialSession(new FakeSink(), f.deps, true)
    await settle()
    expect(session.state.getState().status).toEqual({
      kind: 'busy',
      message: 'Active console session exists',
    })
    f.failWith(undefined)
    await session.takeOver()
    expect(f.opens.at(-1)).toEqual({ device: 'serial0', force: true })
    f.last().open()
    expect(session.state.getState().status.kind).toBe('connected')
    session.dispose()
  })

  it('says why the console closed, and reopens it when the VM runs again', async () => {
    const f = fakeDeps()
    const session = new SerialSession(new FakeSink(), f.deps, true)
    await settle()
    f.last().open()
    session.vmStateChanged(false)
    f.last().end(ChannelCloseCode.ended, SerialCloseReason.vmClosed)
    expect(session.state.getState().status).toEqual({
      kind: 'closed',
      reason: SerialCloseReason.vmClosed,
    })
    expect(f.opens).toHaveLength(1)
    session.vmStateChanged(true)
    await settle()
    expect(f.opens).toHaveLength(2)
    f.last().open()
    expect(session.state.getState()).toMatchObject({
      status: { kind: 'connected' },
      connections: 2,
    })
    session.dispose()
  })

  it('tries again once when the console ends while the list still says running', async () => {
    vi.useFakeTimers()
    const f = fakeDeps()
    const session = new SerialSession(new FakeSink(), f.deps, true)
    await vi.advanceTimersByTimeAsync(0)
    f.last().open()
    f.last().end(ChannelCloseCode.ended, SerialCloseReason.vmClosed)
    await vi.advanceTimersByTimeAsync(1000)
    expect(f.opens).toHaveLength(2)
    f.last().end(ChannelCloseCode.ended, SerialCloseReason.vmClosed)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(f.opens).toHaveLength(2) // not in a loop
    expect(session.state.getState().status.kind).toBe('closed')
    session.dispose()
  })

  it('stays closed, saying why, when the retry finds the VM gone', async () => {
    vi.useFakeTimers()
    const devices = [serial0]
    const f = fakeDeps(devices)
    const session = new SerialSession(new FakeSink(), f.deps, true)
    await vi.advanceTimersByTimeAsync(0)
    f.last().open()
    devices.splice(0, 1, { ...serial0, openable: false, unavailable: 'not-running' })
    f.last().end(ChannelCloseCode.ended, SerialCloseReason.vmClosed)
    await vi.advanceTimersByTimeAsync(2000)
    expect(f.opens).toHaveLength(1)
    expect(session.state.getState().status).toEqual({
      kind: 'closed',
      reason: SerialCloseReason.vmClosed,
    })
    session.dispose()
  })

  it('stays closed when the retry’s open fails (the VM was still going away)', async () => {
    vi.useFakeTimers()
    const f = fakeDeps()
    const session = new SerialSession(new FakeSink(), f.deps, true)
    await vi.advanceTimersByTimeAsync(0)
    f.last().open()
    f.failWith(new Error('Requested operation is not valid: domain is not running'))
    f.last().end(ChannelCloseCode.ended, SerialCloseReason.vmClosed)
    await vi.advanceTimersByTimeAsync(2000)
    expect(f.opens).toHaveLength(2)
    expect(session.state.getState().status.kind).toBe('closed')
    session.vmStateChanged(false)
    f.failWith(undefined)
    session.vmStateChanged(true)
    await vi.advanceTimersByTimeAsync(0)
    f.last().open()
    expect(session.state.getState().status.kind).toBe('connected')
    session.dispose()
  })

  it('keeps a failure (libvirt’s text) until the user reconnects, even when the VM restarts', async () => {
    const f = fakeDeps()
    const session = new SerialSession(new FakeSink(), f.deps, true)
    await settle()
    f.last().open()
    f.last().end(ChannelCloseCode.failed, 'stream had I/O failure')
    expect(session.state.getState().status).toEqual({
      kind: 'failed',
      message: 'stream had I/O failure',
    })
    session.vmStateChanged(false)
    session.vmStateChanged(true)
    await settle()
    expect(f.opens).toHaveLength(1)
    await session.connect()
    expect(f.opens).toHaveLength(2)
    session.dispose()
  })

  it('shows an open failure with main’s message', async () => {
    const f = fakeDeps()
    f.failWith(new Error('The host is not connected.'))
    const session = new SerialSession(new FakeSink(), f.deps, true)
    await settle()
    expect(session.state.getState().status).toEqual({
      kind: 'failed',
      message: 'The host is not connected.',
    })
    session.dispose()
  })

  it('waits for a VM that is off, and says when a VM has no console to open', async () => {
    const f = fakeDeps([fileSerial])
    const session = new SerialSession(new FakeSink(), f.deps, false)
    await settle()
    expect(session.state.getState().status.kind).toBe('vm-off')
    expect(f.opens).toHaveLength(0)
    session.vmStateChanged(true)
    await settle()
    expect(session.state.getState().status.kind).toBe('no-device')
    expect(f.opens).toHaveLength(0)
    session.vmStateChanged(false)
    expect(session.state.getState().status.kind).toBe('vm-off')
    session.dispose()
  })

  it('switches devices, closing the old channel and ignoring its late events', async () => {
    const sink = new FakeSink()
    const f = fakeDeps([serial0, virtioConsole])
    const session = new SerialSession(sink, f.deps, true)
    await settle()
    const first = f.last()
    first.open()
    await session.chooseDevice('console1')
    expect(first.closed).toBe(true)
    expect(f.opens.at(-1)).toEqual({ device: 'console1', force: false })
    first.receive('late')
    first.end(ChannelCloseCode.ended, 'late')
    expect(sink.written).toEqual([])
    expect(session.state.getState()).toMatchObject({
      status: { kind: 'connecting' },
      device: 'console1',
    })
    session.dispose()
    expect(f.last().closed).toBe(true)
  })
})
