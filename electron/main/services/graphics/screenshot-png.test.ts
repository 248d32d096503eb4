import { crc32, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  encodePng,
  parsePpm,
  pngSize,
  ScreenshotFormatError,
  screenshotFileName,
  screenshotToPng,
} from './screenshot-png'

/** Reads a PNG back: checks every chunk's CRC and returns the header and raw scanlines. */
function decodePng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from('89504e470d0a1a0a', 'hex'))
  const chunks: { type: string; data: Buffer }[] = []
  for (let pos = 8; pos < png.length;) {
    const length = png.readUInt32BE(pos)
    const type = png.subarray(pos + 4, pos + 8).toString('latin1')
    const data = png.subarray(pos + 8, pos + 8 + length)
    const crc = png.readUInt32BE(pos + 8 + length)
    expect(crc).toBe(crc32(data, crc32(Buffer.from(type, 'latin1'))) >>> 0)
    chunks.push({ type, data })
    pos += 12 + length
  }
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
  const ihdr = chunks[0]!.data
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    depthAndType: [ihdr[8], ihdr[9]],
    raw: inflateSync(chunks[1]!.data),
  }
}

/** A 3x2 P6 image: red, green, blue / white, black, grey. */
const PIXELS = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128])

describe('PPM to PNG', () => {
  it('converts a binary PPM, comments and all, into a valid RGB PNG', () => {
    const ppm = Buffer.concat([Buffer.from('P6\n# made by qemu\n3 2\n255\n'), PIXELS])
    const { png, width, height } = screenshotToPng('image/x-portable-pixmap', ppm)
    expect([width, height]).toEqual([3, 2])
    const decoded = decodePng(png)
    expect([decoded.width, decoded.height]).toEqual([3, 2])
    expect(decoded.depthAndType).toEqual([8, 2])
    // Each scanline: filter byte 0, then 3 pixels of RGB.
    expect(decoded.raw).toEqual(
      Buffer.concat([
        Buffer.from([0]),
        PIXELS.subarray(0, 9),
        Buffer.from([0]),
        PIXELS.subarray(9),
      ]),
    )
  })

  it('scales 16-bit and small maxval samples to 8 bits', () => {
    const wide = Buffer.from('P6 1 1 65535\n')
    const sample = Buffer.from([0xff, 0xff, 0x80, 0x00, 0x00, 0x00])
    expect([...parsePpm(Buffer.concat([wide, sample])).rgb]).toEqual([255, 128, 0])
    const narrow = Buffer.concat([Buffer.from('P6 1 1 15\n'), Buffer.from([15, 0, 5])])
    expect([...parsePpm(narrow).rgb]).toEqual([255, 0, 85])
  })

  it('refuses truncated, malformed and unknown images', () => {
    const short = Buffer.concat([Buffer.from('P6 3 2 255\n'), PIXELS.subarray(0, 10)])
    expect(() => screenshotToPng('image/x-portable-pixmap', short)).toThrow(/shorter/)
    expect(() => parsePpm(Buffer.from('P6 0 2 255\n'))).toThrow(ScreenshotFormatError)
    expect(() => parsePpm(Buffer.from('P3 1 1 255\n1 2 3'))).toThrow(/P6/)
    expect(() => screenshotToPng('image/jpeg', Buffer.from([0xff, 0xd8]))).toThrow(/image\/jpeg/)
  })
})

describe('PNG passthrough', () => {
  it('keeps a PNG as it is and reads its size', () => {
    const png = encodePng(2, 1, Buffer.from([1, 2, 3, 4, 5, 6]))
    const out = screenshotToPng('image/png', png)
    expect(out.png).toBe(png)
    expect([out.width, out.height]).toEqual([2, 1])
    expect(() => pngSize(Buffer.from('89504e470d0a1a0a', 'hex'))).toThrow(/not a valid PNG/)
  })
})

describe('screenshotFileName', () => {
  it('names the file after the VM and the local time, with unsafe characters replaced', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5)
    expect(screenshotFileName('virtdeck-vnc', at)).toBe('virtdeck-vnc-20250102-030405.png')
    expect(screenshotFileName('a/b:c*d 虚拟机', at)).toBe('a_b_c_d_虚拟机-20250102-030405.png')
    expect(screenshotFileName('///', at)).toBe('_-20250102-030405.png')
  })
})
