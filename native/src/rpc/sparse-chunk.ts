/**
 * The items of a sparse stream (STORAGE_VOL_UPLOAD / _DOWNLOAD with the sparse flag): runs
 * of bytes and holes, in order. A hole is a run of zeros the sender did not send; the
 * receiver seeks over it (or writes zeros). No I/O here.
 */
import { Buffer } from 'node:buffer'

/** A run of bytes. */
export interface DataChunk {
  data: Buffer
}

/** `hole` bytes of zeros that travel as one STREAM_HOLE packet. */
export interface HoleChunk {
  hole: number
}

/** One item of a sparse stream, as a sparse download yields it. */
export type SparseChunk = DataChunk | HoleChunk

/** What a sparse upload accepts: plain bytes count as data. */
export type SparseInput = Uint8Array | { data: Uint8Array } | HoleChunk

/** Whether `c` is a hole. */
export function isHole(c: SparseChunk): c is HoleChunk {
  return 'hole' in c
}

/** The number of bytes `c` stands for (data or zeros). */
export function chunkLength(c: SparseChunk): number {
  return isHole(c) ? c.hole : c.data.byteLength
}

/**
 * Normalises one written item: bytes become a DataChunk, a hole is checked.
 * @throws TypeError for anything else, or a hole that is not a non-negative safe integer
 */
export function toSparseChunk(item: unknown): SparseChunk {
  if (item instanceof Uint8Array) return { data: asBuffer(item) }
  if (typeof item === 'object' && item !== null) {
    if ('hole' in item) {
      const hole = (item as { hole: unknown }).hole
      if (typeof hole !== 'number' || !Number.isSafeInteger(hole) || hole < 0) {
        throw new TypeError(`a hole must be a non-negative integer of bytes, not ${String(hole)}`)
      }
      return { hole }
    }
    if ('data' in item && item.data instanceof Uint8Array) return { data: asBuffer(item.data) }
  }
  throw new TypeError('a sparse stream takes bytes, { data: bytes } or { hole: length }')
}

/** A Buffer view of `bytes` (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
}
