/**
 * The client side of one SASL mechanism, as the exchange in sasl-auth.ts drives it. No I/O:
 * bytes in, bytes out.
 */

/** One SASL mechanism's client state machine. */
export interface SaslClientMechanism {
  /** The IANA name sent in AUTH_SASL_START, e.g. `SCRAM-SHA-256`. */
  readonly name: string
  /** The initial response sent with AUTH_SASL_START; null sends none. */
  start(): Uint8Array | null
  /**
   * Answers one server message.
   * @returns the next client message, or null when there is nothing to send
   * @throws SaslProtocolError when the server's message is wrong (or its proof fails)
   */
  step(challenge: Uint8Array): Promise<Uint8Array | null>
  /**
   * True once our side is done: for SCRAM only after the server proved it knows the
   * password, so a daemon that says "complete" earlier is not believed.
   */
  readonly complete: boolean
}
