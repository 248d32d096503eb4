/**
 * Annotated byte vectors: each line is hex bytes, then `|`, then what they mean.
 *
 *   bytes(`
 *     00 00 00 1c | length word = 28
 *     20 00 80 86 | prog = REMOTE_PROGRAM
 *   `)
 *
 * Everything after `|` is a comment; lines without hex are ignored.
 */
export function bytes(annotated: string): Uint8Array {
  const out: number[] = []
  for (const line of annotated.split('\n')) {
    const hex = line.split('|')[0]!.trim()
    if (hex.length === 0) continue
    for (const tok of hex.split(/\s+/)) {
      if (!/^[0-9a-fA-F]{2}$/.test(tok)) throw new Error(`bad hex byte "${tok}" in: ${line}`)
      out.push(parseInt(tok, 16))
    }
  }
  return new Uint8Array(out)
}

/** Bytes as spaced hex, for readable assertion failures. */
export function toHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ')
}

/** The UTF-8 bytes of ASCII text as spaced hex followed by zero padding to 4 bytes. */
export function asciiPadded(text: string): string {
  const b = [...Buffer.from(text, 'utf8')]
  while (b.length % 4 !== 0) b.push(0)
  return b.map((x) => x.toString(16).padStart(2, '0')).join(' ')
}
