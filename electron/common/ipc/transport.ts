import type { Disposable } from '../lifecycle'

/**
 * A bidirectional message pipe the IPC channel runs over: a MessagePort in Electron, a
 * loopback WebSocket in web mode, an in-memory pair in tests. Messages are structured-
 * cloneable / JSON-safe values.
 */
export interface MessageTransport {
  /** Sends one message; silently dropped once the transport is closed. */
  send(message: unknown): void
  /** Subscribes to incoming messages. */
  onMessage(listener: (message: unknown) => void): Disposable
  /** Fires once when the transport closes, from either side. */
  onClose(listener: (reason: string) => void): Disposable
  /** Closes the transport. */
  close(): void
}
