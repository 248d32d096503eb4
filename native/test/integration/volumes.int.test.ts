/**
 * Storage pools and volume transfers against the system daemon and the test host's dir
 * pool: listings, 8 MiB up and back byte-identical, a 64 MiB mostly-empty file up and back
 * sparse (holes stay holes on the host and locally), a daemon error mid-stream, abort and
 * connection loss. Every test volume is a scratch raw volume with a unique name, deleted in
 * afterAll.
 */
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { connect, type Connection } from '../../src/api/connection'
import {
  describeVolume,
  listStoragePools,
  listVolumes,
  lookupStoragePool,
} from '../../src/api/storage'
import { downloadVolume, downloadVolumeToFile, uploadVolume } from '../../src/api/volume-transfer'
import { findVolumeByPath } from '../../src/api/volumes'
import type { NonnullStorageVol } from '../../src/protocol/generated/remote-types.gen'
import { ConnectionLostError, isNoStorageVol, VirtError } from '../../src/rpc/errors'
import { MessageType } from '../../src/rpc/packet'
import { isHole, type SparseChunk } from '../../src/rpc/sparse-chunk'
import { StreamOverflowError } from '../../src/rpc/stream-errors'
import { HOST_JSON, testHost } from './test-host'

const host = testHost()
const facts = JSON.parse(readFileSync(HOST_JSON, 'utf8')) as {
  pool: { name: string; path: string }
  volume: { name: string; path: string; capacityBytes: number }
}
const MiB = 1 << 20
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const open_ = () => connect({ socketPath: host.systemSocket, name: 'qemu:///system' })

/** Hashes what a plain download yields. */
async function hashOf(stream: AsyncIterable<Buffer>): Promise<{ sha: string; bytes: number }> {
  const h = createHash('sha256')
  let bytes = 0
  for await (const c of stream) {
    h.update(c)
    bytes += c.byteLength
  }
  return { sha: h.digest('hex'), bytes }
}

/** The chunks of a sparse download with adjacent data merged: `D<n>` / `H<n>` in MiB/16. */
function layoutOf(chunks: SparseChunk[]): string {
  const runs: [string, number][] = []
  for (const c of chunks) {
    const kind = isHole(c) ? 'H' : 'D'
    const n = isHole(c) ? c.hole : c.data.byteLength
    const last = runs.at(-1)
    if (last?.[0] === kind) last[1] += n
    else runs.push([kind, n])
  }
  return runs.map(([k, n]) => `${k}${n / (MiB / 16)}`).join(' ')
}

/** `n` random bytes as a byte source of 1 MiB chunks. */
function* randomChunks(data: Buffer): Generator<Buffer> {
  for (let off = 0; off < data.byteLength; off += MiB) yield data.subarray(off, off + MiB)
}

describe('storage volumes (qemu:///system, dir pool)', () => {
  let conn: Connection
  let dir: string
  const scratch: NonnullStorageVol[] = []

  /** A new raw volume with nothing allocated yet. */
  async function scratchVolume(tag: string, capacity: number): Promise<NonnullStorageVol> {
    const pool = await lookupStoragePool(conn, facts.pool.name)
    const name = `virtdeck-xfer-${tag}-${process.pid}-${randomBytes(3).toString('hex')}.raw`
    const xml =
      `<volume><name>${name}</name><capacity unit='bytes'>${capacity}</capacity>` +
      `<allocation unit='bytes'>0</allocation><target><format type='raw'/></target></volume>`
    const { vol } = await conn.remote.storageVolCreateXml({ pool: pool.handle, xml, flags: 0 })
    scratch.push(vol)
    return vol
  }

  beforeAll(async () => {
    conn = await open_()
    dir = await mkdtemp('/var/tmp/virtdeck-xfer-')
  })

  afterAll(async () => {
    for (const vol of scratch) {
      await conn.remote.storageVolDelete({ vol, flags: 0 }).catch((err: unknown) => {
        if (!isNoStorageVol(err)) throw err
      })
    }
    await conn?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('lists the test pool and its volume with path, key, type and sizes', async () => {
    const pools = await listStoragePools(conn)
    const pool = pools.find((p) => p.name === facts.pool.name)
    expect(pool).toMatchObject({ stateName: 'RUNNING', state: 2 })
    expect(pool!.capacityBytes).toBeGreaterThan(0)
    expect(pool!.availableBytes).toBeLessThanOrEqual(pool!.capacityBytes)
    expect((await lookupStoragePool(conn, pool!.uuid)).name).toBe(facts.pool.name)

    const vols = await listVolumes(conn, facts.pool.name)
    const vol = vols.find((v) => v.name === facts.volume.name)
    expect(vol).toMatchObject({
      pool: facts.pool.name,
      path: facts.volume.path,
      key: facts.volume.path, // a dir pool's key is the path
      typeName: 'FILE',
      capacityBytes: facts.volume.capacityBytes,
    })
    expect(vol!.allocationBytes).toBeGreaterThan(0)
  })

  it('8 MiB of random data goes up and comes back byte-identical', async () => {
    const vol = await scratchVolume('plain', 8 * MiB)
    const data = randomBytes(8 * MiB)
    const up = await uploadVolume(conn, vol, Readable.from(randomChunks(data)))
    expect(up).toEqual({ bytes: 8 * MiB, dataBytes: 8 * MiB, holeBytes: 0 })
    const back = await hashOf(await downloadVolume(conn, vol))
    expect(back).toEqual({ sha: sha256(data), bytes: 8 * MiB })
    // A part of it, by offset and length.
    const part = await hashOf(await downloadVolume(conn, vol, { offset: 3 * MiB, length: 1000 }))
    expect(part).toEqual({ sha: sha256(data.subarray(3 * MiB, 3 * MiB + 1000)), bytes: 1000 })
  })

  it('a mostly-empty 64 MiB file goes up sparse, stays small, and comes back with its holes', async () => {
    // The local file: 64 MiB with data at 4 MiB (1 MiB) and at 40 MiB (512 KiB), else holes.
    const src = join(dir, 'sparse-src.img')
    const a = randomBytes(MiB)
    const b = randomBytes(MiB / 2)
    const fh = await open(src, 'wx')
    await fh.write(a, 0, a.byteLength, 4 * MiB)
    await fh.write(b, 0, b.byteLength, 40 * MiB)
    await fh.truncate(64 * MiB)
    await fh.close()
    const srcSha = sha256(readFileSync(src))

    const vol = await scratchVolume('sparse', 64 * MiB)
    const up = await uploadVolume(conn, vol, src, { sparse: true })
    expect(up).toEqual({ bytes: 64 * MiB, dataBytes: 1.5 * MiB, holeBytes: 62.5 * MiB })

    // On the host the holes stay holes.
    const info = await describeVolume(conn, vol)
    expect(info.capacityBytes).toBe(64 * MiB)
    expect(info.allocationBytes).toBeLessThan(4 * MiB)
    const onDisk = await stat(info.path)
    expect(onDisk.size).toBe(64 * MiB)
    expect(onDisk.blocks * 512).toBeLessThan(4 * MiB)
    const found = await findVolumeByPath(conn, info.path)
    expect(found?.handle).toEqual(vol)

    // A sparse download shows the same layout (in 1/16 MiB): holes and data where they were.
    const chunks: SparseChunk[] = []
    for await (const c of await downloadVolume(conn, vol, { sparse: true })) chunks.push(c)
    expect(layoutOf(chunks)).toBe('H64 D16 H560 D8 H376')
    const data = Buffer.concat(chunks.flatMap((c) => (isHole(c) ? [] : [c.data])))
    expect(data.equals(Buffer.concat([a, b]))).toBe(true)

    // Into a local file: the same bytes, the same small allocation.
    const dst = join(dir, 'sparse-back.img')
    const down = await downloadVolumeToFile(conn, vol, dst, { sparse: true })
    expect(down).toEqual({ bytes: 64 * MiB, dataBytes: 1.5 * MiB, holeBytes: 62.5 * MiB })
    const local = await stat(dst)
    expect(local.size).toBe(64 * MiB)
    expect(local.blocks * 512).toBeLessThan(4 * MiB)
    expect(sha256(readFileSync(dst))).toBe(srcSha)

    // Without the sparse flag the holes come as zeros: the same bytes.
    expect(await hashOf(await downloadVolume(conn, vol))).toEqual({ sha: srcSha, bytes: 64 * MiB })
  })

  it('a daemon error mid-upload fails the upload with the VirtError; the connection goes on', async () => {
    const vol = await scratchVolume('short', 8 * MiB)
    // Declared 1 MiB, sent 4: the daemon refuses the bytes past the length.
    const upload = uploadVolume(conn, vol, Readable.from(randomChunks(randomBytes(4 * MiB))), {
      length: MiB,
    })
    const err = (await upload.catch((e: unknown) => e)) as VirtError
    expect(err).toBeInstanceOf(VirtError)
    expect(err.procedure).toBe('REMOTE_PROC_STORAGE_VOL_UPLOAD')
    expect(err.codeName).toBe('VIR_ERR_SYSTEM_ERROR')
    expect(err.message).toMatch(/No space left on device/) // libvirt's ENOSPC past the length
    expect((await describeVolume(conn, vol)).name).toBe(vol.name)
  })

  it('aborting an upload sends the stream abort and leaves the connection usable', async () => {
    const vol = await scratchVolume('abort', 8 * MiB)
    // What goes out, watched on its way: header-only STREAM packets by status.
    const sent: string[] = []
    const send = conn.rpc.send.bind(conn.rpc)
    const spy = vi.spyOn(conn.rpc, 'send').mockImplementation((bytes) => {
      const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      if (bytes.byteLength === 28 && v.getInt32(16) === MessageType.STREAM) {
        sent.push(['OK', 'ERROR', 'CONTINUE'][v.getInt32(24)] ?? '?')
      }
      send(bytes)
    })
    const ac = new AbortController()
    let produced = 0
    async function* endless() {
      for (;;) {
        if (produced >= 2 * MiB) ac.abort(new Error('stop, says the test'))
        produced += 256 << 10
        yield randomBytes(256 << 10)
      }
    }
    try {
      await expect(uploadVolume(conn, vol, endless(), { signal: ac.signal })).rejects.toThrow(
        'stop, says the test',
      )
    } finally {
      spy.mockRestore()
    }
    expect(sent).toContain('ERROR') // the abort: STREAM/ERROR with no body
    expect(sent).not.toContain('OK') // never a finish
    expect(produced).toBeLessThan(4 * MiB) // the source stopped being read

    // The same connection carries a whole transfer afterwards.
    const data = randomBytes(MiB)
    await uploadVolume(conn, vol, [data])
    const back = await hashOf(await downloadVolume(conn, vol, { length: MiB }))
    expect(back.sha).toBe(sha256(data))
  })

  it('aborting a download fails its reader with the reason; the connection goes on', async () => {
    const vol = await scratchVolume('dl-abort', 16 * MiB)
    const ac = new AbortController()
    const stream = await downloadVolume(conn, vol, { signal: ac.signal })
    let got = 0
    const reading = (async () => {
      for await (const c of stream as AsyncIterable<Buffer>) {
        got += c.byteLength
        if (got >= MiB) ac.abort(new Error('enough, says the test'))
      }
    })()
    await expect(reading).rejects.toThrow('enough, says the test')
    expect(got).toBeLessThan(16 * MiB)
    expect((await describeVolume(conn, vol)).capacityBytes).toBe(16 * MiB)
  })

  it('on a connection of its own, a download holds the daemon back instead of buffering', async () => {
    const vol = await scratchVolume('exclusive', 32 * MiB)
    const own = await open_()
    try {
      // One byte of buffer allowed: without the paused socket this would overflow at once.
      const stream = await downloadVolume(own, vol, { exclusive: true, maxBufferedBytes: 1 })
      stream.pause()
      await new Promise((r) => setTimeout(r, 300))
      expect(stream.readableLength).toBeLessThan(2 * MiB)
      expect(await hashOf(stream)).toEqual({
        sha: sha256(Buffer.alloc(32 * MiB)),
        bytes: 32 * MiB,
      })
      // On the shared connection the same bound overflows.
      const shared = await downloadVolume(conn, vol, { maxBufferedBytes: 1 })
      shared.pause()
      await expect(hashOf(shared)).rejects.toBeInstanceOf(StreamOverflowError)
    } finally {
      await own.close()
    }
  })

  it('a lost connection fails a download in progress with ConnectionLostError', async () => {
    const vol = await scratchVolume('lost', 16 * MiB)
    const lost = await open_()
    const stream = await downloadVolume(lost, vol)
    const failed = once(stream, 'error')
    stream.once('data', () => lost.dispose())
    const [err] = (await failed) as [Error]
    expect(err).toBeInstanceOf(ConnectionLostError)
  })

  it('bad input fails clearly before anything is sent or overwritten', async () => {
    const vol = (await listVolumes(conn, facts.pool.name)).find(
      (v) => v.name === facts.volume.name,
    )!.handle
    await expect(downloadVolume(conn, vol, { offset: -1 })).rejects.toThrow(RangeError)
    await expect(uploadVolume(conn, vol, [], { length: 1.5 })).rejects.toThrow(RangeError)
    await expect(uploadVolume(conn, vol, join(dir, 'missing.img'))).rejects.toMatchObject({
      code: 'ENOENT',
    })
    const existing = join(dir, 'keep.txt')
    await writeFile(existing, 'keep me')
    await expect(downloadVolumeToFile(conn, vol, existing)).rejects.toMatchObject({
      code: 'EEXIST',
    })
    expect(readFileSync(existing, 'utf8')).toBe('keep me')
    // The test pool's volume is untouched (qcow2, 16 MiB).
    expect((await describeVolume(conn, vol)).capacityBytes).toBe(facts.volume.capacityBytes)
  })
})
