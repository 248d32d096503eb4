/**
 * The one error the XDR layer throws: a value that cannot be encoded (out of range, too
 * long for its declared maximum) or bytes that cannot be decoded (truncated, a length or
 * count larger than allowed or than the bytes left, a bad optional flag or union arm).
 */
export class XdrError extends Error {
  override readonly name = 'XdrError'

  /**
   * @param message what is wrong
   * @param offset byte offset in the buffer being read or written where it went wrong
   */
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`)
  }
}
