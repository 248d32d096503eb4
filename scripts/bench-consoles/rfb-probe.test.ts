import { describe, expect, it } from 'vitest'
import { RfbProbe } from './rfb-probe'

/** What a VNC server sends up to ServerInit, then two updates, annotated. */
function serverBytes(): Uint8Array {
  const parts: number[][] = [
    [...new TextEncoder().encode('RFB 003.008\n')], // ProtocolVersion
    [1, 1], // security types: count 1, None
    [0, 0, 0, 0], // SecurityResult OK
    // ServerInit: width 2, height 1, pixel format (bpp 32 first, 16 bytes), name "vm"
    [0, 2, 0, 1, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0, 0, 0, 0, 2, 118, 109],
    // FramebufferUpdate with one pseudo-rectangle (QEMU's extended key event ack, -258)
    [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xfe, 0xfe],
    // FramebufferUpdate: one Raw 2x1 rectangle (8 bytes of pixels), then a Bell
    [0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8],
    [2],
  ]
  return new Uint8Array(parts.flat())
}

/** Feeds the stream in the given pieces; returns what the client sent and the screen size. */
async function run(pieces: Uint8Array[]) {
  const sent: number[][] = []
  const probe = new RfbProbe(
    (b) => sent.push([...b]),
    () => 0,
  )
  // The updates and the Bell after ServerInit must parse too (an unknown message throws).
  for (const p of pieces) probe.receive(p)
  await probe.ready
  return { sent, width: probe.width, height: probe.height }
}

describe('RfbProbe', () => {
  it('does the handshake and frames updates however the stream is split', async () => {
    const all = serverBytes()
    const splits: Uint8Array[][] = [[all], [...all].map((b) => new Uint8Array([b]))]
    for (let i = 1; i < all.length; i++) splits.push([all.subarray(0, i), all.subarray(i)])
    for (const pieces of splits) {
      const { sent, width, height } = await run(pieces)
      expect([width, height]).toEqual([2, 1])
      // Version, security None, ClientInit (shared).
      expect(sent.slice(0, 3)).toEqual([[...new TextEncoder().encode('RFB 003.008\n')], [1], [1]])
    }
  })

  it('times a round trip from SetEncodings to the next update', async () => {
    const all = serverBytes()
    const init = all.subarray(0, 12 + 2 + 4 + 26)
    let now = 0
    const sent: Uint8Array[] = []
    const probe = new RfbProbe(
      (b) => sent.push(b),
      () => now,
    )
    probe.receive(init)
    await probe.ready
    now = 10
    const rt = probe.roundTrip()
    // SetEncodings: type 2, pad, count 1, encoding -258.
    expect([...sent.at(-1)!]).toEqual([2, 0, 0, 1, 0xff, 0xff, 0xfe, 0xfe])
    now = 13
    probe.receive(all.subarray(init.length, init.length + 16))
    expect(await rt).toBe(3)
  })

  it('counts Raw frames and their bytes without buffering pixels', async () => {
    const all = serverBytes()
    const init = all.subarray(0, 44)
    let now = 0
    const sent: Uint8Array[] = []
    const probe = new RfbProbe(
      (b) => sent.push(b),
      () => now,
    )
    probe.receive(init)
    await probe.ready
    const raw = all.subarray(60, 84)
    const run = probe.fullFrames(5)
    // Each request gets one Raw update, delivered a byte at a time; time moves 1 per frame.
    for (let frame = 0; frame < 5; frame++) {
      await Promise.resolve()
      const request = sent.at(-1)!
      expect([...request]).toEqual([3, 0, 0, 0, 0, 0, 0, 2, 0, 1]) // whole 2x1 screen
      for (const b of raw) probe.receive(new Uint8Array([b]))
      now++
      await new Promise((r) => setTimeout(r, 0))
    }
    const result = await run
    expect(result.frames).toBe(5)
    expect(result.bytes).toBe(5 * raw.length)
  })
})
