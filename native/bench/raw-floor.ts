/**
 * Floors: the same packets our client sends, packed by hand on a bare net.Socket, with no
 * codec, no timers and no checks. What Node's socket layer and the daemon cost before any
 * client code runs; a target below its floor cannot be met by any Node client.
 *   - open + close: AUTH_LIST, CONNECT_OPEN, CONNECT_CLOSE, one after the other;
 *   - pipelined: 1,000 CONNECT_GET_LIB_VERSION written at once, replies counted;
 *   - sequential: the same 1,000, each written once the last one's reply is in.
 */
import { createConnection } from 'node:net'
import type { Scenario } from './ours'

const OPEN_CLOSE_BATCH = 10
const REMOTE_PROGRAM = 0x20008086
const AUTH_LIST = 66
const CONNECT_OPEN = 1
const CONNECT_CLOSE = 2
const CONNECT_GET_LIB_VERSION = 157
const CALLS = 1000

/** A CALL packet: length, program, version 1, procedure, type 0, serial, status 0, body. */
function callPacket(procedure: number, serial: number, body: Uint8Array = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(28 + body.length)
  b.writeUInt32BE(b.length, 0)
  b.writeUInt32BE(REMOTE_PROGRAM, 4)
  b.writeUInt32BE(1, 8)
  b.writeUInt32BE(procedure, 12)
  b.writeUInt32BE(serial, 20)
  b.set(body, 28)
  return b
}

/** CONNECT_OPEN's arguments: an optional string (present), then flags 0. */
function openArgs(name: string): Uint8Array {
  const text = Buffer.from(name)
  const padded = (text.length + 3) & ~3
  const b = Buffer.alloc(8 + padded + 4)
  b.writeUInt32BE(1, 0)
  b.writeUInt32BE(text.length, 4)
  text.copy(b, 8)
  return b
}

/** One open + close; each reply is taken as it comes (one read each on a local socket). */
function openClose(socketPath: string, packets: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path: socketPath })
    let next = 0
    const send = (): void => {
      socket.write(packets[next++]!)
    }
    socket.on('connect', send)
    socket.on('error', reject)
    socket.on('data', (d) => {
      // Status word of the reply: 0 OK. The floor must do the real work, not fail fast.
      if (d.readUInt32BE(24) !== 0) reject(new Error(`procedure ${d.readUInt32BE(12)} failed`))
      else if (next < packets.length) send()
      else {
        socket.destroy()
        resolve()
      }
    })
  })
}

/** ms per open + close, mean of a batch of 10, like ours.openClose. */
export function openCloseFloor(socketPath: string, name: string): Promise<Scenario> {
  const packets = [
    callPacket(AUTH_LIST, 1),
    callPacket(CONNECT_OPEN, 2, openArgs(name)),
    callPacket(CONNECT_CLOSE, 3),
  ]
  return Promise.resolve({
    run: async () => {
      const start = performance.now()
      for (let i = 0; i < OPEN_CLOSE_BATCH; i++) await openClose(socketPath, packets)
      return (performance.now() - start) / OPEN_CLOSE_BATCH
    },
    close: () => Promise.resolve(),
  })
}

/** Splits what arrives into packets and calls `onPacket` with each one's status word. */
function packetReader(onPacket: (status: number) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0)
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
    while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
      onPacket(pending.readUInt32BE(24))
      pending = pending.subarray(pending.readUInt32BE(0))
    }
  }
}

/** A bare socket past AUTH_LIST and CONNECT_OPEN: `send` writes packets, resolves on their replies. */
async function openedRawSocket(
  socketPath: string,
  name: string,
): Promise<{
  send: (packets: Buffer[]) => Promise<void>
  nextSerial: () => number
  close: () => Promise<void>
}> {
  const socket = createConnection({ path: socketPath })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  let waiting: { left: number; done: () => void; fail: (e: Error) => void } | undefined
  socket.on(
    'data',
    packetReader((status) => {
      if (!waiting) return
      if (status !== 0) waiting.fail(new Error('a call failed'))
      else if (--waiting.left === 0) waiting.done()
    }),
  )
  let serial = 1
  const nextSerial = (): number => serial++
  const send = (packets: Buffer[]): Promise<void> =>
    new Promise((done, fail) => {
      waiting = { left: packets.length, done, fail }
      socket.write(packets.length === 1 ? packets[0]! : Buffer.concat(packets))
    })
  await send([callPacket(AUTH_LIST, nextSerial())])
  await send([callPacket(CONNECT_OPEN, nextSerial(), openArgs(name))])
  return {
    send,
    nextSerial,
    close: async () => {
      await send([callPacket(CONNECT_CLOSE, nextSerial())])
      socket.destroy()
    },
  }
}

/** ms for 1,000 CONNECT_GET_LIB_VERSION written at once on one opened connection. */
export async function pipelinedFloor(socketPath: string, name: string): Promise<Scenario> {
  const raw = await openedRawSocket(socketPath, name)
  return {
    run: async () => {
      const batch = Array.from({ length: CALLS }, () =>
        callPacket(CONNECT_GET_LIB_VERSION, raw.nextSerial()),
      )
      const start = performance.now()
      await raw.send(batch)
      return performance.now() - start
    },
    close: raw.close,
  }
}

/** us per call of 1,000 CONNECT_GET_LIB_VERSION one after the other, each after the last reply. */
export async function sequentialFloor(socketPath: string, name: string): Promise<Scenario> {
  const raw = await openedRawSocket(socketPath, name)
  return {
    run: async () => {
      const start = performance.now()
      for (let i = 0; i < CALLS; i++) {
        await raw.send([callPacket(CONNECT_GET_LIB_VERSION, raw.nextSerial())])
      }
      return ((performance.now() - start) * 1000) / CALLS
    },
    close: raw.close,
  }
}
