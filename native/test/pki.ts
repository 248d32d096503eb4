/**
 * Throwaway X.509 material for TLS tests, made with the openssl command line: a CA, a
 * server certificate for 127.0.0.1/localhost and a client certificate, laid out as a
 * libvirt pkipath directory (cacert.pem, clientcert.pem, clientkey.pem) plus the server
 * files (servercert.pem, serverkey.pem) and the CA key for signing more.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Whether the openssl command is available. */
export function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' })
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/** Makes a CA (cacert.pem, cakey.pem) in `dir`. */
export function makeCa(dir: string, name = 'Virtdeck Test CA'): void {
  mkdirSync(dir, { recursive: true })
  openssl(
    dir,
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'cakey.pem',
    '-out',
    'cacert.pem',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
}

/**
 * Signs a certificate with the CA in `caDir`, writing `<prefix>cert.pem` and
 * `<prefix>key.pem` into `dir`.
 * @param usage serverAuth or clientAuth
 * @param san e.g. `IP:127.0.0.1,DNS:localhost` (server certificates)
 */
export function makeCert(
  caDir: string,
  dir: string,
  prefix: string,
  usage: 'serverAuth' | 'clientAuth',
  san?: string,
): void {
  mkdirSync(dir, { recursive: true })
  const ext = join(dir, `${prefix}.ext`)
  writeFileSync(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${usage}`,
      ...(san ? [`subjectAltName=${san}`] : []),
    ].join('\n'),
  )
  const csr = join(dir, `${prefix}.csr`)
  openssl(dir, 'req', ...EC, '-keyout', `${prefix}key.pem`, '-out', csr, '-subj', `/CN=${prefix}`)
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    join(caDir, 'cacert.pem'),
    '-CAkey',
    join(caDir, 'cakey.pem'),
    '-CAcreateserial',
    '-out',
    `${prefix}cert.pem`,
    '-days',
    '2',
    '-extfile',
    ext,
  )
}

/** A CA plus server and client certificates in one directory (a libvirt pkipath). */
export function makeTestPki(dir: string): void {
  makeCa(dir)
  makeCert(dir, dir, 'server', 'serverAuth', 'IP:127.0.0.1,DNS:localhost')
  makeCert(dir, dir, 'client', 'clientAuth')
}
