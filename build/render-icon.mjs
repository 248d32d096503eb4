// Renders the master icon, assets/icons/icon.svg, to build/icon.png (1024x1024, transparent
// background) with playwright-core and Debian's Chromium. electron-builder derives the macOS
// .icns, the Windows .ico and the Linux icon sizes from that PNG.
//   node build/render-icon.mjs [--chromium /usr/bin/chromium]
import { chromium } from 'playwright-core'
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const SIZE = 1024
const source = fileURLToPath(new URL('../assets/icons/icon.svg', import.meta.url))
const target = fileURLToPath(new URL('./icon.png', import.meta.url))

/** Renders the SVG at SIZE x SIZE and returns the PNG bytes. */
export async function renderIcon(executablePath = '/usr/bin/chromium') {
  const svg = await readFile(source, 'utf8')
  const browser = await chromium.launch({ executablePath })
  try {
    const page = await browser.newPage({
      viewport: { width: SIZE, height: SIZE },
      deviceScaleFactor: 1,
    })
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
    // setContent waits for the load event, which waits for the image.
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">` +
        `<img src="${src}" width="${SIZE}" height="${SIZE}" style="display:block"></body></html>`,
    )
    return await page.screenshot({ omitBackground: true, type: 'png' })
  } finally {
    await browser.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { chromium: { type: 'string' } } })
  const png = await renderIcon(values.chromium)
  await writeFile(target, png)
  console.log(`virtdeck: wrote build/icon.png (${SIZE}x${SIZE}, ${png.length} bytes)`)
}
