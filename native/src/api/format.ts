/** Small conversions between wire values and what people read. */
import { Buffer } from 'node:buffer'

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * A 16-byte remote_uuid as the usual text form, e.g.
 * `c3190a18-9219-4740-be63-44d76b670f16`.
 */
export function formatUuid(bytes: Uint8Array): string {
  if (bytes.byteLength !== 16) throw new RangeError(`a UUID has 16 bytes, got ${bytes.byteLength}`)
  // A table lookup per byte: a Buffer view would need `bytes.buffer`, which moves a small
  // fresh Uint8Array off the V8 heap (about 1 us each, which dominated bulk stats decoding).
  let out = ''
  for (let i = 0; i < 16; i++) {
    out += HEX[bytes[i]!]!
    if (i === 3 || i === 5 || i === 7 || i === 9) out += '-'
  }
  return out
}

/** The text form of a UUID (dashes optional, any case) as the 16 bytes of a remote_uuid. */
export function parseUuid(text: string): Uint8Array {
  const hex = text.replaceAll('-', '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${text}`)
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/**
 * libvirt's version encoding (major * 1,000,000 + minor * 1,000 + micro) as text:
 * 9000000 -> "9.0.0", 7002000 -> "7.2.0".
 */
export function formatVersion(encoded: bigint | number): string {
  const v = BigInt(encoded)
  if (v < 0n) throw new RangeError(`negative version ${v}`)
  return `${v / 1_000_000n}.${(v / 1000n) % 1000n}.${v % 1000n}`
}
