/**
 * The Content Security Policy of the UI, the same in the Electron window and in web mode:
 * only our own scripts and style sheets (plus inline style attributes), no eval, no plugins,
 * no framing, no form posts.
 * `connect-src 'self'` covers the web mode's WebSocket on the same origin.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // Inline style attributes only (no <style> elements, no markup injection of sheets):
    // xterm.js colours 24-bit, selected and search-matched cells with them.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
