/**
 * Storage volume contents over libvirt streams (STORAGE_VOL_DOWNLOAD / _UPLOAD, protocol
 * README section 13), plain or sparse.
 *
 *   const dl = await downloadVolume(conn, vol, { sparse: true })
 *   for await (const c of dl) isHole(c) ? skip(c.hole) : write(c.data)
 *   await downloadVolumeToFile(conn, vol, '/tmp/disk.raw', { sparse: true })
 *   await uploadVolume(conn, vol, '/tmp/disk.raw', { sparse: true, signal })
 *
 * Backpressure. Uploads wait for the connection's socket to drain after every write, so a
 * file is read only as fast as the daemon takes it; that is safe on a shared connection.
 * Downloads are read at the daemon's pace into a bounded buffer (`maxBufferedBytes`),
 * because pausing a shared socket would stall every other call and the keepalive; with
 * `exclusive: true` (a connection that carries only this transfer) the socket is paused
 * instead, so TCP holds the daemon back. Big transfers belong on a connection of their own
 * (the daemon runs only a few calls per connection at once, and the stream delays them).
 *
 * Abort: `signal` sends the stream abort (STREAM/ERROR) and fails the transfer with the
 * signal's reason; the connection stays usable. A daemon error mid-stream (e.g. "no space")
 * fails it with the VirtError, a lost connection with the ConnectionLostError.
 */
import { open, rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  REMOTE_PROGRAM,
  REMOTE_PROTOCOL_VERSION,
  VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM,
  VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM,
} from '../protocol/generated/constants.gen'
import {
  encodeStorageVolDownloadArgs,
  encodeStorageVolUploadArgs,
} from '../protocol/generated/remote-codecs.gen'
import { RemoteProcedure, type NonnullStorageVol } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import type { RpcClient } from '../rpc/client'
import { openStream } from '../rpc/open-stream'
import { isHole, type SparseChunk, type SparseInput } from '../rpc/sparse-chunk'
import type { StreamFlowControl, VirStream } from '../rpc/streams'
import { decodeVoid } from '../xdr/codecs'
import { sparsify, writeSparse, ZERO_BLOCK_SIZE, type TransferSummary } from './sparse-data'

/** What the transfers need of a connection (a Connection has it). */
export interface TransferHost {
  readonly rpc: RpcClient
  readonly transport: { readonly flow?: StreamFlowControl }
}

/** Where in the volume, and how; `signal` aborts, `timeoutMs` bounds only the opening call. */
export interface TransferOptions extends CallOptions {
  /** First byte of the volume to transfer. Default 0. */
  offset?: number
  /** Bytes to transfer; 0 or absent = to the end of the volume (download) or data (upload). */
  length?: number
  /** Use the sparse flag: holes travel as STREAM_HOLE packets instead of zeros. */
  sparse?: boolean
}

/** Options of {@link downloadVolume}. */
export interface DownloadOptions extends TransferOptions {
  /**
   * The connection carries nothing but this transfer: pause its socket when the reader
   * lags (TCP then holds the daemon back) instead of buffering. A reader that stops for
   * longer than the keepalive window (30 s by default) loses the connection.
   */
  exclusive?: boolean
  /** Without `exclusive`: how far the reader may lag before the stream fails. 16 MiB. */
  maxBufferedBytes?: number
}

/** Options of {@link downloadVolumeToFile}. */
export interface DownloadToFileOptions extends DownloadOptions {
  /** Replace an existing file. Default false: an existing file is an EEXIST error. */
  overwrite?: boolean
}

/** Options of {@link uploadVolume}. */
export interface UploadOptions extends TransferOptions {
  /** Sparse uploads: all-zero blocks of this size become holes. Default 64 KiB. */
  zeroBlockSize?: number
}

/** What {@link uploadVolume} sends: a local file's path, or a byte source. */
export type UploadSource =
  string | Readable | AsyncIterable<Uint8Array | SparseInput> | Iterable<Uint8Array | SparseInput>

/** A sparse download: a VirStream whose items are {@link SparseChunk}s. */
export type SparseVolumeStream = VirStream & AsyncIterable<SparseChunk>

/** Read size of a local file being uploaded (a multiple of {@link ZERO_BLOCK_SIZE}). */
const FILE_READ_SIZE = 1 << 20

/**
 * Opens a volume download (STORAGE_VOL_DOWNLOAD). Without `sparse` the stream yields the
 * volume's bytes (holes as zeros); with it, {@link SparseChunk}s: `{ data }` and
 * `{ hole }` in order. The stream ends after the daemon's finish; errors arrive as
 * 'error' (VirtError, ConnectionLostError, StreamOverflowError, the abort reason).
 * @throws VirtError when the daemon refuses (no such volume, a volume in use ...)
 */
export function downloadVolume(
  conn: TransferHost,
  vol: NonnullStorageVol,
  options: DownloadOptions & { sparse: true },
): Promise<SparseVolumeStream>
export function downloadVolume(
  conn: TransferHost,
  vol: NonnullStorageVol,
  options?: DownloadOptions,
): Promise<VirStream>
export async function downloadVolume(
  conn: TransferHost,
  vol: NonnullStorageVol,
  options: DownloadOptions = {},
): Promise<VirStream> {
  const { offset, length } = range(options)
  const sparse = options.sparse === true
  const flow = options.exclusive ? conn.transport.flow : undefined
  const { stream } = await openStream(
    conn.rpc,
    {
      program: REMOTE_PROGRAM,
      version: REMOTE_PROTOCOL_VERSION,
      procedure: RemoteProcedure.STORAGE_VOL_DOWNLOAD,
      args: { vol, offset, length, flags: sparse ? VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM : 0 },
      encodeArgs: encodeStorageVolDownloadArgs,
      decodeRet: decodeVoid,
      direction: 'read',
    },
    {
      sparse,
      ...(flow && { flow }),
      ...(options.maxBufferedBytes !== undefined && { maxBufferedBytes: options.maxBufferedBytes }),
      ...callOptions(options),
    },
  )
  abortOnSignal(stream, options.signal)
  return stream
}

/**
 * Downloads a volume into a local file. With `sparse`, holes are skipped, not written, so
 * they stay holes in the file. A failed or aborted download removes the file.
 * @throws EEXIST (unless `overwrite`), and what {@link downloadVolume} and the stream fail with
 */
export async function downloadVolumeToFile(
  conn: TransferHost,
  vol: NonnullStorageVol,
  path: string,
  options: DownloadToFileOptions = {},
): Promise<TransferSummary> {
  range(options) // bad input fails before the file is touched
  options.signal?.throwIfAborted()
  const file = await open(path, options.overwrite ? 'w' : 'wx')
  let done = false
  try {
    const stream = await downloadVolume(conn, vol, options)
    const summary = await writeSparse(file, stream)
    done = true
    return summary
  } finally {
    await file.close()
    if (!done) await rm(path, { force: true })
  }
}

/**
 * Uploads into a volume (STORAGE_VOL_UPLOAD) and resolves once the daemon has confirmed
 * that everything is written. The source is a local file's path or a byte source; with
 * `sparse`, its all-zero blocks travel as holes (found by content, see sparse-data.ts) and
 * a source may also yield `{ hole }` items itself.
 * @throws VirtError (refused, or failed mid-stream), ConnectionLostError, the abort reason,
 *   a file error (ENOENT ...) before anything is sent
 */
export async function uploadVolume(
  conn: TransferHost,
  vol: NonnullStorageVol,
  source: UploadSource,
  options: UploadOptions = {},
): Promise<TransferSummary> {
  const { offset, length } = range(options)
  const sparse = options.sparse === true
  const { signal } = options
  signal?.throwIfAborted()
  let fileStream: Readable | undefined
  if (typeof source === 'string') {
    const file = await open(source, 'r') // a missing file fails before the volume is touched
    fileStream = file.createReadStream({ highWaterMark: FILE_READ_SIZE })
  }
  const input = fileStream ?? (source as Exclude<UploadSource, string>)
  const counts = { dataBytes: 0, holeBytes: 0 }
  const items = counted(
    sparse ? sparsify(input, options.zeroBlockSize ?? ZERO_BLOCK_SIZE) : plainBytes(input),
    counts,
  )
  let stream: VirStream
  try {
    const flow = conn.transport.flow
    stream = (
      await openStream(
        conn.rpc,
        {
          program: REMOTE_PROGRAM,
          version: REMOTE_PROTOCOL_VERSION,
          procedure: RemoteProcedure.STORAGE_VOL_UPLOAD,
          args: { vol, offset, length, flags: sparse ? VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0 },
          encodeArgs: encodeStorageVolUploadArgs,
          decodeRet: decodeVoid,
          direction: 'write',
        },
        { sparse, ...(flow && { flow }), ...callOptions(options) },
      )
    ).stream
  } catch (err) {
    fileStream?.destroy() // closes the file
    throw err
  }
  try {
    if (signal) await pipeline(items, stream, { signal })
    else await pipeline(items, stream)
  } catch (err) {
    fileStream?.destroy()
    if (!stream.destroyed) stream.destroy() // sends the abort if the daemon has not failed it
    if (signal?.aborted) throw signal.reason
    throw err
  }
  const { dataBytes, holeBytes } = counts
  return { bytes: dataBytes + holeBytes, dataBytes, holeBytes }
}

/** Offset and length as hypers, checked. */
function range(options: TransferOptions): { offset: bigint; length: bigint } {
  const check = (name: string, v: number | undefined): bigint => {
    if (v === undefined) return 0n
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`${name} must be a non-negative integer of bytes, not ${v}`)
    }
    return BigInt(v)
  }
  return { offset: check('offset', options.offset), length: check('length', options.length) }
}

/** The opening call's signal and deadline. */
function callOptions(options: CallOptions): CallOptions {
  return {
    ...(options.signal && { signal: options.signal }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  }
}

/** Destroys the stream with the signal's reason when it aborts (which sends the abort). */
function abortOnSignal(stream: VirStream, signal: AbortSignal | undefined): void {
  if (!signal) return
  const onAbort = (): void => void stream.destroy(signal.reason as Error)
  if (signal.aborted) {
    onAbort()
    return
  }
  signal.addEventListener('abort', onAbort, { once: true })
  stream.once('close', () => signal.removeEventListener('abort', onAbort))
}

/** A plain upload takes bytes only. */
async function* plainBytes(
  source: AsyncIterable<unknown> | Iterable<unknown>,
): AsyncGenerator<Uint8Array> {
  for await (const item of source) {
    if (!(item instanceof Uint8Array)) {
      throw new TypeError('a plain (not sparse) upload takes bytes only')
    }
    yield item
  }
}

/** Passes items through, adding up data and hole bytes. */
async function* counted(
  source: AsyncIterable<Uint8Array | SparseChunk>,
  counts: { dataBytes: number; holeBytes: number },
): AsyncGenerator<Uint8Array | SparseChunk> {
  for await (const item of source) {
    if (item instanceof Uint8Array) counts.dataBytes += item.byteLength
    else if (isHole(item)) counts.holeBytes += item.hole
    else counts.dataBytes += item.data.byteLength
    yield item
  }
}
