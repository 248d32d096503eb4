/**
 * Where libvirt's TLS client looks for its certificates, and loading them.
 *
 * - `?pkipath=DIR`: DIR/cacert.pem, DIR/clientcert.pem, DIR/clientkey.pem.
 * - Not root (Linux, macOS): ~/.pki/libvirt/cacert.pem, else the system CA; and
 *   ~/.pki/libvirt/clientcert.pem + clientkey.pem when *both* exist, else the system pair.
 * - Root: /etc/pki/CA/cacert.pem, /etc/pki/libvirt/clientcert.pem,
 *   /etc/pki/libvirt/private/clientkey.pem.
 * - Windows: %APPDATA%\libvirt\pki\cacert.pem, clientcert.pem, clientkey.pem.
 *
 * The CA certificate is required unless the server certificate is not verified
 * (`no_verify=1`). A client certificate is only needed when the daemon asks for one (its
 * default); without one we connect anyway and, if the daemon refuses, say which files
 * were missing.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, win32 } from 'node:path'
import { NativeError } from '../rpc/errors'

/** libvirt's system-wide CA certificate. */
export const SYSTEM_CA_CERT = '/etc/pki/CA/cacert.pem'
/** libvirt's system-wide client certificate. */
export const SYSTEM_CLIENT_CERT = '/etc/pki/libvirt/clientcert.pem'
/** libvirt's system-wide client key. */
export const SYSTEM_CLIENT_KEY = '/etc/pki/libvirt/private/clientkey.pem'

/** The three files of a TLS client, and where their locations came from. */
export interface PkiFiles {
  caCert: string
  clientCert: string
  clientKey: string
  /** `pkipath`, `user` (~/.pki/libvirt or %APPDATA%), `system` or `mixed` (user CA, system pair ...). */
  source: 'pkipath' | 'user' | 'system' | 'mixed'
}

/** What path resolution depends on (tests pass their own). */
export interface PkiEnvironment {
  platform: NodeJS.Platform
  home: string
  env: Readonly<Record<string, string | undefined>>
  /** Whether the process runs as root (root uses the system paths only). */
  isRoot: boolean
  exists: (path: string) => boolean
}

/** This process's environment. */
export function localPkiEnvironment(): PkiEnvironment {
  return {
    platform: process.platform,
    home: homedir(),
    env: process.env,
    isRoot: process.getuid?.() === 0,
    exists: existsSync,
  }
}

/** Resolves the certificate paths as libvirt's client does. */
export function resolvePkiFiles(
  pkipath?: string,
  environment: PkiEnvironment = localPkiEnvironment(),
): PkiFiles {
  if (pkipath) {
    const j = environment.platform === 'win32' ? win32.join : join
    return {
      caCert: j(pkipath, 'cacert.pem'),
      clientCert: j(pkipath, 'clientcert.pem'),
      clientKey: j(pkipath, 'clientkey.pem'),
      source: 'pkipath',
    }
  }
  if (environment.platform === 'win32') {
    const appData = environment.env.APPDATA ?? win32.join(environment.home, 'AppData', 'Roaming')
    const dir = win32.join(appData, 'libvirt', 'pki')
    return {
      caCert: win32.join(dir, 'cacert.pem'),
      clientCert: win32.join(dir, 'clientcert.pem'),
      clientKey: win32.join(dir, 'clientkey.pem'),
      source: 'user',
    }
  }
  if (environment.isRoot) {
    return {
      caCert: SYSTEM_CA_CERT,
      clientCert: SYSTEM_CLIENT_CERT,
      clientKey: SYSTEM_CLIENT_KEY,
      source: 'system',
    }
  }
  const dir = join(environment.home, '.pki', 'libvirt')
  const userCa = join(dir, 'cacert.pem')
  const userCert = join(dir, 'clientcert.pem')
  const userKey = join(dir, 'clientkey.pem')
  const caUser = environment.exists(userCa)
  const pairUser = environment.exists(userCert) && environment.exists(userKey)
  return {
    caCert: caUser ? userCa : SYSTEM_CA_CERT,
    clientCert: pairUser ? userCert : SYSTEM_CLIENT_CERT,
    clientKey: pairUser ? userKey : SYSTEM_CLIENT_KEY,
    source: caUser && pairUser ? 'user' : !caUser && !pairUser ? 'system' : 'mixed',
  }
}

/** A certificate file libvirt's TLS needs is missing or unreadable. */
export class TlsConfigError extends NativeError {
  override readonly name = 'TlsConfigError'
  readonly code = 'TLS_CONFIG'

  /**
   * @param problems one line per file: `CA certificate /etc/pki/CA/cacert.pem: missing`
   * @param hint what to do about it
   */
  constructor(
    readonly problems: readonly string[],
    hint: string,
  ) {
    super(`TLS setup is incomplete: ${problems.join('; ')}. ${hint}`)
  }

  get details(): Record<string, unknown> {
    return { problems: [...this.problems] }
  }
}

/** The loaded PEM material (what node:tls takes). */
export interface PkiMaterial {
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  /** Client certificate files that were not there (the daemon may not need them). */
  missingClientFiles: string[]
}

/**
 * Reads the files.
 * @param requireCa false when the server certificate is not verified (no_verify=1)
 * @throws TlsConfigError naming each missing or unreadable file
 */
export async function loadPkiFiles(files: PkiFiles, requireCa = true): Promise<PkiMaterial> {
  const problems: string[] = []
  const read = async (what: string, path: string): Promise<Buffer | undefined> => {
    try {
      return await readFile(path)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') problems.push(`${what} ${path}: ${(err as Error).message}`)
      return undefined
    }
  }
  const ca = await read('CA certificate', files.caCert)
  const cert = await read('client certificate', files.clientCert)
  const key = await read('client key', files.clientKey)
  if (!ca && requireCa && !problems.some((p) => p.startsWith('CA certificate'))) {
    problems.push(`CA certificate ${files.caCert}: missing`)
  }
  if (cert && !key)
    problems.push(`client key ${files.clientKey}: missing (the certificate is there)`)
  if (key && !cert)
    problems.push(`client certificate ${files.clientCert}: missing (the key is there)`)
  if (problems.length > 0) {
    throw new TlsConfigError(
      problems,
      'Put the files there, or name another directory with ?pkipath= (or no_verify=1 to skip checking the server).',
    )
  }
  const missingClientFiles = cert ? [] : [files.clientCert, files.clientKey]
  return {
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    missingClientFiles,
  }
}
