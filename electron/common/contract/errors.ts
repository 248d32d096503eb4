/** A request whose input failed the contract's schema. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError'
  readonly code = 'invalid-input'

  constructor(
    message: string,
    readonly details: { path: string; message: string }[],
  ) {
    super(message)
  }
}

/** A call that passed its deadline. */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError'
  readonly code = 'timeout'
}

/** A call the caller cancelled. */
export class CallCancelledError extends Error {
  override readonly name = 'CallCancelledError'
  readonly code = 'cancelled'
}

/** The IPC channel closed while the call was in flight. */
export class ChannelClosedError extends Error {
  override readonly name = 'ChannelClosedError'
  readonly code = 'channel-closed'
}

/** A request for a service or method the contract does not have. */
export class UnknownMethodError extends Error {
  override readonly name = 'UnknownMethodError'
  readonly code = 'unknown-method'
}
