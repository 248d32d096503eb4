import type { Decoder, Encoder } from '../xdr/codecs'

/**
 * Per-call options. libvirt has no "cancel call" message: an abort or a deadline rejects
 * the call locally at once, and the late reply, when it comes, is swallowed.
 */
export interface CallOptions {
  /** Aborting rejects the call with the signal's reason. */
  signal?: AbortSignal
  /** Deadline in milliseconds; when it passes the call rejects with RpcTimeoutError. */
  timeoutMs?: number
}

/**
 * What the generated `*Calls` classes need: send one CALL and resolve with its decoded
 * REPLY. RpcClient implements it; tests can substitute their own.
 */
export interface RpcCaller {
  /**
   * @param program program number (REMOTE_PROGRAM, QEMU_PROGRAM ...)
   * @param version program version
   * @param procedure procedure number
   * @param args the argument struct (undefined for procedures without arguments)
   * @param encodeArgs writes `args` as the CALL body
   * @param decodeRet reads the REPLY body
   */
  call<A, R>(
    program: number,
    version: number,
    procedure: number,
    args: A,
    encodeArgs: Encoder<A>,
    decodeRet: Decoder<R>,
    options?: CallOptions,
  ): Promise<R>
}
