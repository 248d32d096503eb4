/**
 * How an error crosses the IPC boundary: plain data, rebuilt as an Error on the other side.
 * `name` keeps the error class (VirtError, ConnectionLostError, ValidationError ...), `code`
 * a machine-readable reason, `details` anything structured the UI may show.
 */
export interface SerializedError {
  name: string
  message: string
  code?: string | number
  details?: unknown
}

/** An error that came over IPC, carrying the sender's name, code and details. */
export class RemoteError extends Error {
  readonly code: string | number | undefined
  readonly details: unknown

  constructor(data: SerializedError) {
    super(data.message)
    this.name = data.name
    this.code = data.code
    this.details = data.details
  }
}

/** Turns anything thrown into a SerializedError, keeping code and details when present. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const withExtras = err as Error & { code?: unknown; details?: unknown }
    const out: SerializedError = { name: err.name, message: err.message }
    if (typeof withExtras.code === 'string' || typeof withExtras.code === 'number') {
      out.code = withExtras.code
    }
    if (withExtras.details !== undefined) out.details = withExtras.details
    return out
  }
  return { name: 'Error', message: typeof err === 'string' ? err : 'Unknown error' }
}

/** Rebuilds a SerializedError as a RemoteError. */
export function deserializeError(data: SerializedError): RemoteError {
  return new RemoteError(data)
}
