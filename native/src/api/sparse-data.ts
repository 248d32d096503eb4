/**
 * Local sides of sparse volume transfers: finding holes in bytes we are about to upload,
 * and writing a sparse download into a file with real holes.
 *
 * Holes are found by content: Node has no lseek(SEEK_DATA / SEEK_HOLE), so a file's holes
 * cannot be asked for. Every whole block of `blockSize` bytes (64 KiB by default, counted
 * from the start of the source) that is all zeros becomes part of a hole; so does an
 * all-zero tail. A file's real holes are all zeros, so they are found too (read as zeros
 * from the page cache, without disk I/O), and so are zero runs that were written out.
 */
import { Buffer } from 'node:buffer'
import type { FileHandle } from 'node:fs/promises'
import { asBuffer, isHole, toSparseChunk, type SparseChunk } from '../rpc/sparse-chunk'

/** The default block size of {@link sparsify}: 64 KiB. */
export const ZERO_BLOCK_SIZE = 64 << 10

/** Bytes and holes of a finished transfer. */
export interface TransferSummary {
  /** All bytes covered: data plus holes. */
  bytes: number
  /** Bytes that travelled as data. */
  dataBytes: number
  /** Bytes that travelled as holes. */
  holeBytes: number
}

let zeros = Buffer.alloc(ZERO_BLOCK_SIZE)

/** Whether `bytes` is all zeros. */
export function isAllZero(bytes: Uint8Array): boolean {
  if (bytes.byteLength > zeros.byteLength) zeros = Buffer.alloc(bytes.byteLength)
  return asBuffer(bytes).equals(zeros.subarray(0, bytes.byteLength))
}

/**
 * Turns a byte source into data and holes: whole all-zero blocks (and an all-zero tail)
 * become holes, everything else data. Items that already are holes or `{ data }` pass
 * through unchanged (they also restart the block grid). Data is yielded as views of the
 * source's chunks where it can be, so the source must not reuse a chunk's memory.
 * @param blockSize the granularity of holes, a positive integer (default 64 KiB)
 */
export async function* sparsify(
  source: AsyncIterable<unknown> | Iterable<unknown>,
  blockSize = ZERO_BLOCK_SIZE,
): AsyncGenerator<SparseChunk> {
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) {
    throw new RangeError(`sparsify: block size ${blockSize} is not a positive integer`)
  }
  let carry: Buffer | null = null // the start of a block that a later chunk completes
  let hole = 0 // zeros seen and not yet yielded
  function* flushHole(): Generator<SparseChunk> {
    if (hole > 0) yield { hole }
    hole = 0
  }
  /** Whole blocks of `buf`, merged into runs; returns the tail shorter than a block. */
  function* scan(buf: Buffer): Generator<SparseChunk, Buffer> {
    const whole = buf.byteLength - (buf.byteLength % blockSize)
    let dataStart = -1
    for (let off = 0; off < whole; off += blockSize) {
      if (isAllZero(buf.subarray(off, off + blockSize))) {
        if (dataStart >= 0) yield { data: buf.subarray(dataStart, off) }
        dataStart = -1
        hole += blockSize
      } else if (dataStart < 0) {
        yield* flushHole()
        dataStart = off
      }
    }
    if (dataStart >= 0) yield { data: buf.subarray(dataStart, whole) }
    return buf.subarray(whole)
  }
  /** The bytes held back for lack of a whole block: a hole if all zeros, else data. */
  function* flushCarry(): Generator<SparseChunk> {
    if (!carry || carry.byteLength === 0) return
    if (isAllZero(carry)) hole += carry.byteLength
    else {
      yield* flushHole()
      yield { data: carry }
    }
    carry = null
  }

  for await (const item of source) {
    if (!(item instanceof Uint8Array)) {
      const chunk = toSparseChunk(item)
      yield* flushCarry()
      if (isHole(chunk)) hole += chunk.hole
      else if (chunk.data.byteLength > 0) {
        yield* flushHole()
        yield chunk
      }
      continue
    }
    if (item.byteLength === 0) continue
    let buf = asBuffer(item)
    if (carry) buf = Buffer.concat([carry, buf])
    const tail = yield* scan(buf)
    carry = tail.byteLength > 0 ? Buffer.from(tail) : null
  }
  yield* flushCarry()
  yield* flushHole()
}

/**
 * Writes data and holes into an open file from its current start (position 0): data with
 * positional writes, holes by moving on, then the file is cut to the total length so that
 * a trailing hole counts. Into a new or truncated file the holes stay unallocated.
 * Plain bytes (a download that is not sparse) are written as data.
 */
export async function writeSparse(
  file: FileHandle,
  source: AsyncIterable<unknown>,
): Promise<TransferSummary> {
  let pos = 0
  let dataBytes = 0
  for await (const item of source) {
    const chunk = toSparseChunk(item)
    if (isHole(chunk)) {
      pos += chunk.hole
      continue
    }
    let done = 0
    while (done < chunk.data.byteLength) {
      const { bytesWritten } = await file.write(chunk.data, done, undefined, pos + done)
      done += bytesWritten
    }
    pos += done
    dataBytes += done
  }
  await file.truncate(pos)
  return { bytes: pos, dataBytes, holeBytes: pos - dataBytes }
}
