/**
 * Stream helpers of the remote program: a domain's text console or a named channel as a
 * Duplex, and a screenshot as bytes (protocol README section 13).
 *
 *   const tty = await openConsole(conn, dom, null, { force: true })
 *   tty.on('data', (b) => term.write(b)); tty.write('uname -a\n'); await tty.finish()
 *
 * Volume upload and download (STORAGE_VOL_UPLOAD / _DOWNLOAD) use the same streams; they
 * are in volume-transfer.ts.
 */
import { REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION } from '../protocol/generated/constants.gen'
import { DomainConsoleFlags } from '../protocol/generated/flags.gen'
import {
  decodeDomainScreenshotRet,
  encodeDomainOpenChannelArgs,
  encodeDomainOpenConsoleArgs,
  encodeDomainScreenshotArgs,
} from '../protocol/generated/remote-codecs.gen'
import { RemoteProcedure, type NonnullDomain } from '../protocol/generated/remote-types.gen'
import type { CallOptions } from '../rpc/caller'
import type { RpcClient } from '../rpc/client'
import { RpcTimeoutError } from '../rpc/errors'
import { openStream } from '../rpc/open-stream'
import { StreamOverflowError } from '../rpc/stream-errors'
import type { StreamOptions, VirStream } from '../rpc/streams'
import { decodeVoid } from '../xdr/codecs'

/** What the helpers need of a connection (a Connection has it). */
export interface StreamHost {
  readonly rpc: RpcClient
}

/** Options of {@link openConsole} and {@link openChannel}. */
export interface ConsoleOptions extends StreamOptions, CallOptions {
  /** Take the console over from another client that holds it (VIR_DOMAIN_CONSOLE_FORCE). */
  force?: boolean
  /**
   * Refuse unless the driver can guarantee exclusive access (VIR_DOMAIN_CONSOLE_SAFE);
   * consoles only.
   */
  safe?: boolean
}

/** VIR_DOMAIN_CHANNEL_FORCE, libvirt-domain.h. */
const CHANNEL_FORCE = 1
/** More than any screen a guest can have (32-bit RGBA 8K is 132 MiB uncompressed; PNG less). */
const DEFAULT_SCREENSHOT_MAX = 64 << 20

/**
 * Opens a domain's text console (DOMAIN_OPEN_CONSOLE) as a duplex byte stream: guest
 * output to read, keyboard input to write. `finish()` (or end()) closes it politely,
 * `abort()` / destroy() at once. Attach an 'error' listener: a daemon error or a lost
 * connection arrives as one. A stream that failed as it opened (taken over at once) comes
 * back already `destroyed`, its error in `errored`.
 * @param devName the console's alias (e.g. "serial0"); null for the first console
 * @throws VirtError, e.g. VIR_ERR_OPERATION_FAILED when another client holds it without force
 */
export async function openConsole(
  host: StreamHost,
  dom: NonnullDomain,
  devName: string | null = null,
  options: ConsoleOptions = {},
): Promise<VirStream> {
  const flags =
    (options.force ? DomainConsoleFlags.FORCE : 0) | (options.safe ? DomainConsoleFlags.SAFE : 0)
  const { stream } = await openStream(
    host.rpc,
    {
      program: REMOTE_PROGRAM,
      version: REMOTE_PROTOCOL_VERSION,
      procedure: RemoteProcedure.DOMAIN_OPEN_CONSOLE,
      args: { dom, dev_name: devName, flags },
      encodeArgs: encodeDomainOpenConsoleArgs,
      decodeRet: decodeVoid,
      direction: 'both',
    },
    options,
  )
  return stream
}

/**
 * Opens a named guest channel (DOMAIN_OPEN_CHANNEL), e.g. a virtio-serial port, as a
 * duplex byte stream; see {@link openConsole}.
 * @param name the channel's name or alias; null for the first channel
 */
export async function openChannel(
  host: StreamHost,
  dom: NonnullDomain,
  name: string | null,
  options: Omit<ConsoleOptions, 'safe'> = {},
): Promise<VirStream> {
  const { stream } = await openStream(
    host.rpc,
    {
      program: REMOTE_PROGRAM,
      version: REMOTE_PROTOCOL_VERSION,
      procedure: RemoteProcedure.DOMAIN_OPEN_CHANNEL,
      args: { dom, name, flags: options.force ? CHANNEL_FORCE : 0 },
      encodeArgs: encodeDomainOpenChannelArgs,
      decodeRet: decodeVoid,
      direction: 'both',
    },
    options,
  )
  return stream
}

/** A screenshot: the image as the hypervisor encoded it. */
export interface Screenshot {
  /** Its MIME type as the daemon names it; "image/png" with QEMU 7.2 and later. */
  mime: string
  /** The image file's bytes. */
  data: Buffer
}

/** Options of {@link screenshot}; `timeoutMs` and `signal` cover the whole transfer. */
export interface ScreenshotOptions extends CallOptions {
  /** Largest image accepted; the stream is aborted beyond it. Default 64 MiB. */
  maxBytes?: number
}

/**
 * Takes a screenshot of one of the domain's screens (DOMAIN_SCREENSHOT): the reply names
 * the MIME type, the image follows as a stream, then the finish handshake.
 * @param screen the screen (head) number, 0 for the first
 * @throws VirtError (e.g. the domain is not running), StreamOverflowError, RpcTimeoutError
 */
export async function screenshot(
  host: StreamHost,
  dom: NonnullDomain,
  screen = 0,
  options: ScreenshotOptions = {},
): Promise<Screenshot> {
  const maxBytes = options.maxBytes ?? DEFAULT_SCREENSHOT_MAX
  const ac = new AbortController()
  const onAbort = (): void => ac.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) onAbort()
  const timeoutMs = options.timeoutMs
  const timer =
    timeoutMs !== undefined && timeoutMs > 0
      ? setTimeout(
          () => ac.abort(new RpcTimeoutError('REMOTE_PROC_DOMAIN_SCREENSHOT', timeoutMs)),
          timeoutMs,
        )
      : undefined
  try {
    const { stream, ret } = await openStream(
      host.rpc,
      {
        program: REMOTE_PROGRAM,
        version: REMOTE_PROTOCOL_VERSION,
        procedure: RemoteProcedure.DOMAIN_SCREENSHOT,
        args: { dom, screen, flags: 0 },
        encodeArgs: encodeDomainScreenshotArgs,
        decodeRet: decodeDomainScreenshotRet,
        direction: 'read',
      },
      { signal: ac.signal },
    )
    const data = await readAll(stream, maxBytes, ac.signal)
    return { mime: ret.mime ?? 'application/octet-stream', data }
  } finally {
    if (timer !== undefined) clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

/** Reads a stream to its end (after the finish handshake), at most `maxBytes`. */
async function readAll(stream: VirStream, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const onAbort = (): void => void stream.abort()
  signal.addEventListener('abort', onAbort, { once: true })
  const chunks: Buffer[] = []
  let total = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.byteLength
      if (total > maxBytes) {
        await stream.abort()
        throw new StreamOverflowError(stream.procedure, maxBytes)
      }
      chunks.push(chunk)
    }
  } catch (err) {
    if (signal.aborted) throw signal.reason
    throw err
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
  if (signal.aborted) throw signal.reason
  return Buffer.concat(chunks, total)
}
