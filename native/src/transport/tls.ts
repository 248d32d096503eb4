/**
 * The TLS transport (`qemu+tls://host/system`, port 16514; also `qemu://host/system`).
 *
 * X.509 both ways: we check the server's certificate against libvirt's CA file and its
 * host name (unless no_verify=1) and present our client certificate. After the handshake
 * the daemon checks our certificate and address and sends **one byte inside TLS**: 0x01 =
 * accepted (protocol README section 9). Nothing may be sent before that byte is read.
 */
import { isIP } from 'node:net'
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls'
import { TransportError } from '../rpc/errors'
import { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectTransportOptions } from './net-connect'
import {
  loadPkiFiles,
  resolvePkiFiles,
  type PkiEnvironment,
  type PkiFiles,
  type PkiMaterial,
} from './tls-pki'
import { duplexTransport, type RpcTransport } from './transport'

/** libvirtd's default port for `+tls`. */
export const DEFAULT_TLS_PORT = 16514

/** The byte the daemon sends after the handshake when it accepts the client. */
export const TLS_VERDICT_OK = 1

/** Options of {@link connectTls}. */
export interface TlsConnectOptions extends ConnectTransportOptions {
  /** A directory with cacert.pem, clientcert.pem, clientkey.pem (the URI's pkipath=). */
  pkipath?: string
  /** Do not verify the server's certificate or host name (the URI's no_verify=1). */
  noVerify?: boolean
  /** Exact file paths, instead of libvirt's search rules. */
  files?: PkiFiles
  /** The environment the search rules look at (tests). */
  pkiEnvironment?: PkiEnvironment
}

/** Certificate verification failures node:tls reports, with what to do about each. */
const VERIFY_HINTS: Readonly<Record<string, string>> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not name this host',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not our CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is not signed by our CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not signed by our CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is not signed by our CA',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
}

/**
 * Connects over TLS and waits for the daemon's verdict byte.
 * @throws TlsConfigError when certificate files are missing
 * @throws TransportError when the connection, the handshake or the daemon's check fails
 */
export async function connectTls(
  host: string,
  port = DEFAULT_TLS_PORT,
  options: TlsConnectOptions = {},
): Promise<RpcTransport> {
  const noVerify = options.noVerify ?? false
  const files = options.files ?? resolvePkiFiles(options.pkipath, options.pkiEnvironment)
  const material = await loadPkiFiles(files, !noVerify)
  const tlsOptions: ConnectionOptions = {
    host,
    port,
    rejectUnauthorized: !noVerify,
    ...(isIP(host) === 0 && { servername: host }),
    ...(material.ca && { ca: material.ca }),
    ...(material.cert && { cert: material.cert }),
    ...(material.key && { key: material.key }),
  }
  if (noVerify) tlsOptions.checkServerIdentity = () => undefined
  const socket = tlsConnect(tlsOptions)
  const description = `tls:${host}:${port}`
  await awaitVerdict(socket, description, material, files, options)
  socket.setNoDelay(true)
  onePacketPerRecord(socket)
  return duplexTransport(socket, description, { gatherWrites: false })
}

/**
 * Makes every write go out in TLS records of its own. libvirtd (seen with 9.0) reads one
 * packet per readable event of its socket and does not look at what gnutls has already
 * decrypted: when two packets share a TLS record, the second waits until more bytes arrive,
 * so pipelined calls hang. Node coalesces queued writes (`_writev`) into one record;
 * without `_writev` the stream hands them to TLS one at a time. Every write of the RPC
 * layer is one whole packet.
 */
export function onePacketPerRecord(socket: TLSSocket): void {
  ;(socket as unknown as { _writev: unknown })._writev = null
}

/**
 * Waits for the handshake, then reads the daemon's one-byte verdict, leaving anything
 * after it buffered in the socket.
 * @throws TransportError (with what was missing when the daemon refused us)
 */
export function awaitVerdict(
  socket: TLSSocket,
  description: string,
  material: Pick<PkiMaterial, 'missingClientFiles'>,
  files: Pick<PkiFiles, 'caCert'>,
  options: ConnectTransportOptions = {},
): Promise<void> {
  const { signal } = options
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const noClientCert =
    material.missingClientFiles.length > 0
      ? `; no client certificate was sent (missing: ${material.missingClientFiles.join(', ')})`
      : ''
  return new Promise((resolve, reject) => {
    let handshaken = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.off('secureConnect', onSecure)
      socket.off('readable', onReadable)
      socket.off('error', onError)
      socket.off('close', onClose)
    }
    const fail = (reason: string, cause?: unknown): void => {
      cleanup()
      socket.destroy()
      reject(new TransportError(description, reason, cause))
    }
    const onSecure = (): void => {
      handshaken = true
      socket.on('readable', onReadable)
      onReadable()
    }
    const onReadable = (): void => {
      if (!handshaken) return
      const byte = socket.read(1) as Buffer | null
      if (byte === null) return
      if (byte[0] === TLS_VERDICT_OK) {
        cleanup()
        resolve()
        return
      }
      fail(
        `the daemon refused this client after the TLS handshake (verdict byte ${byte[0]}): ` +
          `its certificate or address is not allowed${noClientCert}`,
      )
    }
    const onError = (err: Error & { code?: string }): void => {
      if (handshaken) {
        fail(`the daemon ended the TLS session: ${err.message}${noClientCert}`, err)
        return
      }
      const hint = err.code ? VERIFY_HINTS[err.code] : undefined
      fail(
        hint
          ? `${hint} (${err.message}; CA file ${files.caCert}; no_verify=1 skips this check)`
          : `${err.message}${err.code?.startsWith('ERR_SSL') ? noClientCert : ''}`,
        err,
      )
    }
    const onClose = (): void =>
      fail(
        handshaken
          ? `the daemon closed the connection after the TLS handshake without accepting us${noClientCert}`
          : 'the connection closed during the TLS handshake',
      )
    const onAbort = (): void => fail('aborted', signal?.reason)
    if (signal?.aborted) return onAbort()
    socket.once('secureConnect', onSecure)
    socket.on('error', onError)
    socket.once('close', onClose)
    signal?.addEventListener('abort', onAbort, { once: true })
    if (timeoutMs > 0) timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs)
  })
}
