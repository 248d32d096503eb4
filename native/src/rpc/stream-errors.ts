/** The errors of libvirt streams beyond the daemon's own (VirtError) and connection loss. */
import { NativeError } from './errors'

/** The consumer fell more than `maxBufferedBytes` behind; the stream was aborted. */
export class StreamOverflowError extends NativeError {
  override readonly name = 'StreamOverflowError'
  readonly code = 'STREAM_OVERFLOW'

  /** @param procedure the stream's procedure @param limit the buffer bound that was passed */
  constructor(
    readonly procedure: string,
    readonly limit: number,
  ) {
    super(`${procedure}: the reader fell more than ${limit} bytes behind; stream aborted`)
  }

  get details(): Record<string, unknown> {
    return { procedure: this.procedure, limit: this.limit }
  }
}

/** A write to a stream that can take no more data (finished, read-only, or closed). */
export class StreamClosedError extends NativeError {
  override readonly name = 'StreamClosedError'
  readonly code = 'STREAM_CLOSED'

  /** @param procedure the stream's procedure @param reason why it takes no data */
  constructor(
    readonly procedure: string,
    readonly reason: string,
  ) {
    super(`${procedure}: ${reason}`)
  }

  get details(): Record<string, unknown> {
    return { procedure: this.procedure, reason: this.reason }
  }
}
