import { randomBytes } from 'node:crypto'
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isHole, type SparseChunk } from '../rpc/sparse-chunk'
import { isAllZero, sparsify, writeSparse } from './sparse-data'

const B = 16 // a small block size keeps the vectors readable

async function collect(source: Iterable<unknown>, blockSize = B): Promise<SparseChunk[]> {
  const out: SparseChunk[] = []
  for await (const c of sparsify(source, blockSize)) out.push(c)
  return out
}

/** The chunks as a layout: `D<n>` for data, `H<n>` for holes. */
const layout = (chunks: SparseChunk[]) =>
  chunks.map((c) => (isHole(c) ? `H${c.hole}` : `D${c.data.byteLength}`)).join(' ')

/** What the chunks stand for, holes filled with zeros. */
const expand = (chunks: SparseChunk[]) =>
  Buffer.concat(chunks.map((c) => (isHole(c) ? Buffer.alloc(c.hole) : c.data)))

/** Two blocks of zeros, a block of data, three blocks of zeros, 5 bytes of data, 3 zeros. */
function sample(): Buffer {
  const b = Buffer.alloc(6 * B + 8)
  randomBytes(B).copy(b, 2 * B)
  b[2 * B] = 1 // never all zero
  Buffer.from('hello').copy(b, 6 * B)
  return b
}

describe('sparsify', () => {
  it('turns whole zero blocks and a zero tail into holes, merging neighbours', async () => {
    const b = sample()
    const chunks = await collect([b])
    expect(layout(chunks)).toBe(`H${2 * B} D${B} H${3 * B} D8`)
    expect(expand(chunks).equals(b)).toBe(true)
    const zeroTail = Buffer.concat([b.subarray(0, 6 * B), Buffer.alloc(7)])
    expect(layout(await collect([zeroTail]))).toBe(`H${2 * B} D${B} H${3 * B + 7}`)
  })

  it('gives the same layout however the source is cut', async () => {
    const b = sample()
    const whole = layout(await collect([b]))
    for (let cut = 1; cut < b.byteLength; cut++) {
      const chunks = await collect([b.subarray(0, cut), b.subarray(cut)])
      expect(layout(mergeData(chunks)), `cut at ${cut}`).toBe(whole)
      expect(expand(chunks).equals(b)).toBe(true)
    }
    const bytewise = await collect([...b].map((x) => Uint8Array.of(x)))
    expect(layout(mergeData(bytewise))).toBe(whole)
  })

  it('passes explicit holes and { data } through, flushing what it held first', async () => {
    const chunks = await collect([
      Buffer.alloc(B + 3), // a zero block and 3 zeros held back
      { hole: 10 },
      { data: Buffer.from('xy') },
      Buffer.alloc(0),
      { hole: 0 },
    ])
    expect(layout(chunks)).toBe(`H${B + 3 + 10} D2`)
  })

  it('yields nothing for an empty source and one hole for an all-zero one', async () => {
    expect(await collect([])).toEqual([])
    expect(await collect([Buffer.alloc(5 * B + 1)])).toEqual([{ hole: 5 * B + 1 }])
  })

  it('refuses a bad block size and items that are neither bytes nor chunks', async () => {
    await expect(collect([Buffer.alloc(1)], 0)).rejects.toThrow(RangeError)
    await expect(collect(['text'])).rejects.toThrow(TypeError)
  })

  it('isAllZero compares any length', () => {
    expect(isAllZero(new Uint8Array(0))).toBe(true)
    expect(isAllZero(new Uint8Array(200_000))).toBe(true)
    const b = new Uint8Array(70_000)
    b[69_999] = 1
    expect(isAllZero(b)).toBe(false)
  })
})

/** Adjacent data chunks as one (the layout of data does not depend on chunk cuts). */
function mergeData(chunks: SparseChunk[]): SparseChunk[] {
  const out: SparseChunk[] = []
  for (const c of chunks) {
    const last = out.at(-1)
    if (last && !isHole(last) && !isHole(c))
      out[out.length - 1] = { data: Buffer.concat([last.data, c.data]) }
    else out.push(c)
  }
  return out
}

describe('writeSparse', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'virtdeck-sparse-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('writes data where it belongs and leaves holes unallocated, a trailing hole included', async () => {
    const path = join(dir, 'out.img')
    const file = await open(path, 'wx')
    const a = randomBytes(4096)
    const b = randomBytes(100)
    async function* chunks() {
      yield { hole: 8 << 20 }
      yield { data: a }
      yield { hole: 16 << 20 }
      yield b // plain bytes are data
      yield { hole: 8 << 20 }
    }
    const summary = await writeSparse(file, chunks())
    await file.close()
    const size = (32 << 20) + 4096 + 100
    expect(summary).toEqual({ bytes: size, dataBytes: 4196, holeBytes: 32 << 20 })
    const st = await stat(path)
    expect(st.size).toBe(size)
    expect(st.blocks * 512).toBeLessThan(1 << 20) // the holes take no space
    const back = await readFile(path)
    expect(back.subarray(8 << 20, (8 << 20) + 4096).equals(a)).toBe(true)
    expect(back.subarray((24 << 20) + 4096, (24 << 20) + 4196).equals(b)).toBe(true)
    expect(isAllZero(back.subarray(0, 8 << 20))).toBe(true)
  })
})
