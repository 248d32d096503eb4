import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Bundles a bench page (its entry, xterm's CSS included) into a fresh folder with an
 * index.html, ready for startWebServer's rendererDir. Returns the folder.
 */
export async function bundlePage(entry: string, title: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-bench-page-'))
  await build({
    absWorkingDir: ROOT,
    entryPoints: { page: entry },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outdir: dir,
    alias: { '@common': './electron/common' },
    logLevel: 'warning',
  })
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="./page.css"><link rel="stylesheet" href="./bench.css"></head>
<body><div id="screen"></div><script type="module" src="./page.js"></script></body></html>`,
  )
  writeFileSync(
    join(dir, 'bench.css'),
    'body{margin:0;background:#16191f}#screen{width:1000px;height:600px}' +
      'virtdeck-style{display:none}',
  )
  return dir
}
