/**
 * The error hierarchy of the libvirt client. Every error has a `name`, a `code` and
 * `details`, and `toJSON()` gives `{ name, code, message, details }`, the shape errors
 * travel in across IPC (convention 6). Predicates on top let callers branch without
 * remembering libvirt's numbers.
 */
import { ErrorDomain, ErrorLevel, ErrorNumber } from '../protocol/generated/flags.gen'
import type { RemoteError } from '../protocol/generated/remote-types.gen'

/** The serialisable form of any error of this module. */
export interface SerializedNativeError {
  name: string
  code: string | number
  message: string
  details: Record<string, unknown>
}

/** Base class: a named error with a code and plain-data details. */
export abstract class NativeError extends Error {
  /** A stable code: libvirt's virErrorNumber for VirtError, an upper-case word otherwise. */
  abstract readonly code: string | number

  /** Plain data that explains the error (safe to serialise). */
  abstract get details(): Record<string, unknown>

  /** `{ name, code, message, details }`. */
  toJSON(): SerializedNativeError {
    return { name: this.name, code: this.code, message: this.message, details: this.details }
  }
}

function reverse(table: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(table).map(([k, v]) => [v, k]))
}
const ERROR_NAMES = reverse(ErrorNumber)
const DOMAIN_NAMES = reverse(ErrorDomain)

/** `VIR_ERR_NO_DOMAIN` for 42; `VIR_ERR_<n>` for a number this table does not know. */
export function errorCodeName(code: number): string {
  const n = ERROR_NAMES.get(code)
  if (n === undefined) return `VIR_ERR_${code}`
  return n.startsWith('WAR_') ? `VIR_${n}` : `VIR_ERR_${n}`
}

/** `VIR_FROM_QEMU` for 10; `VIR_FROM_<n>` for a number this table does not know. */
export function errorDomainName(domain: number): string {
  return `VIR_FROM_${DOMAIN_NAMES.get(domain) ?? domain}`
}

/**
 * An error reported by the daemon: a REPLY with status ERROR, decoded from the full
 * remote_error (code, domain, message, level, str1..3, int1..2).
 */
export class VirtError extends NativeError {
  override readonly name = 'VirtError'
  /** virErrorNumber, e.g. 42 (VIR_ERR_NO_DOMAIN). Branch on this. */
  readonly code: number
  /** The symbolic name of `code`, e.g. `VIR_ERR_NO_DOMAIN`. */
  readonly codeName: string
  /** virErrorDomain: where the error happened, e.g. 10 (VIR_FROM_QEMU). */
  readonly domain: number
  /** The symbolic name of `domain`. */
  readonly domainName: string
  /** virErrorLevel: 0 none, 1 warning, 2 error. */
  readonly level: number
  /** The pieces libvirt built the message from (str1 is a printf format), and extra ints. */
  readonly str1: string | null
  readonly str2: string | null
  readonly str3: string | null
  readonly int1: number
  readonly int2: number

  /**
   * @param err the decoded remote_error
   * @param procedure the name of the call that failed, for the message
   */
  constructor(err: RemoteError, procedure?: string) {
    super(err.message ?? `libvirt error ${errorCodeName(err.code)}`)
    this.code = err.code
    this.codeName = errorCodeName(err.code)
    this.domain = err.domain
    this.domainName = errorDomainName(err.domain)
    this.level = err.level
    this.str1 = err.str1
    this.str2 = err.str2
    this.str3 = err.str3
    this.int1 = err.int1
    this.int2 = err.int2
    if (procedure !== undefined) this.procedure = procedure
  }

  /** The procedure that failed, when known. */
  readonly procedure?: string

  get details(): Record<string, unknown> {
    return {
      codeName: this.codeName,
      domain: this.domain,
      domainName: this.domainName,
      level: this.level,
      procedure: this.procedure,
    }
  }
}

/**
 * The connection is gone (socket closed, reset, keepalive timeout, unparseable bytes, or
 * closed by us): every call, stream and subscription in flight fails with this at once.
 */
export class ConnectionLostError extends NativeError {
  override readonly name = 'ConnectionLostError'
  readonly code = 'CONNECTION_LOST'

  /**
   * @param reason why, in words
   * @param cause the underlying error (a socket error, a ProtocolError ...), if any
   */
  constructor(
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`connection lost: ${reason}`, cause === undefined ? undefined : { cause })
  }

  get details(): Record<string, unknown> {
    const cause = this.cause
    return { reason: this.reason, cause: cause instanceof Error ? cause.message : cause }
  }
}

/** A call's deadline (CallOptions.timeoutMs) passed before its reply arrived. */
export class RpcTimeoutError extends NativeError {
  override readonly name = 'RpcTimeoutError'
  readonly code = 'RPC_TIMEOUT'

  /**
   * @param procedure name of the call
   * @param timeoutMs the deadline that passed
   */
  constructor(
    readonly procedure: string,
    readonly timeoutMs: number,
  ) {
    super(`${procedure} timed out after ${timeoutMs} ms`)
  }

  get details(): Record<string, unknown> {
    return { procedure: this.procedure, timeoutMs: this.timeoutMs }
  }
}

/**
 * The peer broke the protocol: a length word out of bounds, a packet we cannot parse, a
 * message type we cannot handle. The connection is dropped; pending calls then fail with
 * a ConnectionLostError whose cause is this error.
 */
export class ProtocolError extends NativeError {
  override readonly name = 'ProtocolError'
  readonly code = 'PROTOCOL_ERROR'

  /**
   * @param message what is wrong
   * @param cause the underlying error (e.g. an XdrError), if any
   */
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
  }

  get details(): Record<string, unknown> {
    return {}
  }
}

/**
 * The procedure cannot be used here: the daemon does not know it ("unknown procedure",
 * an older libvirt) or this client cannot carry it (file descriptor passing).
 */
export class UnsupportedProcedureError extends NativeError {
  override readonly name = 'UnsupportedProcedureError'
  readonly code = 'UNSUPPORTED_PROCEDURE'

  /**
   * @param program program number
   * @param procedure procedure number
   * @param procedureName the procedure's C name
   * @param reason why it cannot be used
   * @param cause the daemon's VirtError, when the daemon refused it
   */
  constructor(
    readonly program: number,
    readonly procedure: number,
    readonly procedureName: string,
    readonly reason: string,
    cause?: VirtError,
  ) {
    super(`${procedureName} is not supported: ${reason}`, cause ? { cause } : undefined)
  }

  get details(): Record<string, unknown> {
    return {
      program: this.program,
      procedure: this.procedure,
      procedureName: this.procedureName,
      reason: this.reason,
    }
  }
}

/** The transport could not be opened (socket missing, refused, permission, timeout). */
export class TransportError extends NativeError {
  override readonly name = 'TransportError'
  readonly code = 'TRANSPORT_ERROR'

  /**
   * @param target where we tried to connect, e.g. `unix:/var/run/libvirt/libvirt-sock`
   * @param reason what went wrong
   * @param cause the underlying error (with its errno `code`, e.g. ENOENT), if any
   */
  constructor(
    readonly target: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`cannot connect to ${target}: ${reason}`, cause === undefined ? undefined : { cause })
  }

  get details(): Record<string, unknown> {
    const errno = (this.cause as { code?: unknown } | undefined)?.code
    return { target: this.target, reason: this.reason, errno }
  }
}

/** The daemon wants an authentication method this client cannot perform. */
export class AuthUnsupportedError extends NativeError {
  override readonly name = 'AuthUnsupportedError'
  readonly code = 'AUTH_UNSUPPORTED'

  /** @param offered the remote_auth_type values the daemon listed */
  constructor(readonly offered: readonly number[]) {
    super(
      `the daemon requires authentication this client cannot do (offered: ${offered.map(authName).join(', ')}); ` +
        'use a unix socket with polkit or no auth, or configure the daemon',
    )
  }

  get details(): Record<string, unknown> {
    return { offered: [...this.offered] }
  }
}

function authName(t: number): string {
  return ['none', 'sasl', 'polkit'][t] ?? `type ${t}`
}

/** Whether the daemon answered "unknown procedure" (an older libvirt). */
export function isUnknownProcedureReply(err: VirtError): boolean {
  return (
    err.code === ErrorNumber.RPC &&
    err.domain === ErrorDomain.RPC &&
    (err.message.startsWith('unknown procedure') || err.message.startsWith('Cannot find program'))
  )
}

function hasCode(err: unknown, ...codes: number[]): boolean {
  return err instanceof VirtError && codes.includes(err.code)
}

/** The domain does not exist (VIR_ERR_NO_DOMAIN). */
export const isNoDomain = (err: unknown): boolean => hasCode(err, ErrorNumber.NO_DOMAIN)
/** The network does not exist. */
export const isNoNetwork = (err: unknown): boolean => hasCode(err, ErrorNumber.NO_NETWORK)
/** The storage pool does not exist. */
export const isNoStoragePool = (err: unknown): boolean => hasCode(err, ErrorNumber.NO_STORAGE_POOL)
/** The storage volume does not exist. */
export const isNoStorageVol = (err: unknown): boolean => hasCode(err, ErrorNumber.NO_STORAGE_VOL)
/** Any "no such object" error (domain, network, pool, volume, device, secret, snapshot ...). */
export const isNotFound = (err: unknown): boolean =>
  hasCode(
    err,
    ErrorNumber.NO_DOMAIN,
    ErrorNumber.NO_NETWORK,
    ErrorNumber.NO_STORAGE_POOL,
    ErrorNumber.NO_STORAGE_VOL,
    ErrorNumber.NO_NODE_DEVICE,
    ErrorNumber.NO_INTERFACE,
    ErrorNumber.NO_NWFILTER,
    ErrorNumber.NO_SECRET,
    ErrorNumber.NO_DOMAIN_SNAPSHOT,
    ErrorNumber.NO_DOMAIN_METADATA,
    ErrorNumber.NO_NWFILTER_BINDING,
    ErrorNumber.NO_DOMAIN_CHECKPOINT,
    ErrorNumber.NO_NETWORK_PORT,
  )
/** Refused because the connection is read-only (VIR_ERR_OPERATION_DENIED). */
export const isOperationDenied = (err: unknown): boolean =>
  hasCode(err, ErrorNumber.OPERATION_DENIED)
/** Not valid in the object's current state, e.g. starting a running domain. */
export const isOperationInvalid = (err: unknown): boolean =>
  hasCode(err, ErrorNumber.OPERATION_INVALID)
/** A bad argument, including flags the daemon does not know (VIR_ERR_INVALID_ARG). */
export const isInvalidArg = (err: unknown): boolean => hasCode(err, ErrorNumber.INVALID_ARG)
/** Authentication failed or was refused. */
export const isAuthFailed = (err: unknown): boolean =>
  hasCode(err, ErrorNumber.AUTH_FAILED, ErrorNumber.AUTH_CANCELLED, ErrorNumber.AUTH_UNAVAILABLE)
/** The connection is gone. */
export const isConnectionLost = (err: unknown): err is ConnectionLostError =>
  err instanceof ConnectionLostError
/** A call passed its deadline. */
export const isTimeout = (err: unknown): err is RpcTimeoutError => err instanceof RpcTimeoutError
/** The procedure is not available (older daemon, or not possible from Node). */
export const isUnsupported = (err: unknown): err is UnsupportedProcedureError =>
  err instanceof UnsupportedProcedureError

/** The errorLevel of a VirtError is a warning, not an error. */
export const isWarning = (err: unknown): boolean =>
  err instanceof VirtError && err.level === ErrorLevel.WARNING
