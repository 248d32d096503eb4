/**
 * Screenshots as PNG. QEMU 7.2 and later hand libvirt a PNG already; older QEMU (and other
 * drivers) a binary PPM (P6), which is converted here. Pure: bytes in, bytes out.
 */
import { crc32, deflateSync } from 'node:zlib'

/** A PNG with its size in pixels. */
export interface PngImage {
  png: Buffer
  width: number
  height: number
}

/** A screenshot in a format this module does not read. */
export class ScreenshotFormatError extends Error {
  override readonly name = 'ScreenshotFormatError'
  readonly code = 'screenshot-format'
}

/** The 8-byte PNG signature. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A screenshot as libvirt returned it, converted to PNG when needed. */
export function screenshotToPng(mime: string, data: Buffer): PngImage {
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return { png: data, ...pngSize(data) }
  if (mime === 'image/x-portable-pixmap' || data.subarray(0, 2).toString('latin1') === 'P6') {
    const { width, height, rgb } = parsePpm(data)
    return { png: encodePng(width, height, rgb), width, height }
  }
  throw new ScreenshotFormatError(`The screenshot came as ${mime}, which cannot be saved as PNG.`)
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  // signature (8) | IHDR length (4) | "IHDR" (4) | width u32 BE | height u32 BE | ...
  if (png.length < 24 || png.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new ScreenshotFormatError('The screenshot is not a valid PNG.')
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

/**
 * Reads a binary PPM: "P6", width, height, maxval (whitespace-separated, `#` comments to the
 * end of a line), one whitespace byte, then RGB samples (1 byte each, 2 big-endian bytes each
 * when maxval > 255). Samples are scaled to 0..255.
 */
export function parsePpm(data: Buffer): { width: number; height: number; rgb: Buffer } {
  let pos = 0
  const token = (): string => {
    for (;;) {
      while (pos < data.length && isSpace(data[pos]!)) pos++
      if (data[pos] !== 0x23) break // '#': a comment to the end of the line
      while (pos < data.length && data[pos] !== 0x0a) pos++
    }
    const start = pos
    while (pos < data.length && !isSpace(data[pos]!)) pos++
    return data.subarray(start, pos).toString('latin1')
  }
  if (token() !== 'P6') throw new ScreenshotFormatError('The screenshot is not a binary PPM (P6).')
  const width = Number(token())
  const height = Number(token())
  const maxval = Number(token())
  const valid = (n: number, max: number) => Number.isInteger(n) && n > 0 && n <= max
  if (!valid(width, 1 << 15) || !valid(height, 1 << 15) || !valid(maxval, 65535)) {
    throw new ScreenshotFormatError('The PPM screenshot has an invalid header.')
  }
  pos++ // the single whitespace byte before the samples
  const bytesPerSample = maxval > 255 ? 2 : 1
  const samples = width * height * 3
  if (data.length - pos < samples * bytesPerSample) {
    throw new ScreenshotFormatError('The PPM screenshot is shorter than its header says.')
  }
  const rgb = Buffer.alloc(samples)
  for (let i = 0; i < samples; i++) {
    const v = bytesPerSample === 2 ? data.readUInt16BE(pos + i * 2) : data[pos + i]!
    rgb[i] = maxval === 255 ? v : Math.round((v * 255) / maxval)
  }
  return { width, height, rgb }
}

const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d)

/** Encodes 8-bit RGB pixels (row after row, no padding) as a PNG. */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const stride = width * 3
  // Every scanline starts with its filter type; 0 (None) lets zlib do the work.
  const raw = Buffer.alloc((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    rgb.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride)
  }
  // IHDR: width u32, height u32, bit depth 8, colour type 2 (RGB), compression 0, filter 0,
  // interlace 0.
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** One PNG chunk: length u32 | type | data | CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

/** A file name for a screenshot: `<vm>-<YYYYMMDD>-<HHMMSS>.png`, safe on every OS. */
export function screenshotFileName(vmName: string, at: Date): string {
  const safe = vmName.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80) || 'vm'
  const pad = (n: number) => String(n).padStart(2, '0')
  const date = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}`
  const time = `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`
  return `${safe}-${date}-${time}.png`
}
