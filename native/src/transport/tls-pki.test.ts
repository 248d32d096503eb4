import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadPkiFiles, resolvePkiFiles, TlsConfigError, type PkiEnvironment } from './tls-pki'

function environment(over: Partial<PkiEnvironment> & { files?: string[] } = {}): PkiEnvironment {
  const files = over.files ?? []
  return {
    platform: 'linux',
    home: '/home/me',
    env: {},
    isRoot: false,
    exists: (p) => files.includes(p),
    ...over,
  }
}
const USER = '/home/me/.pki/libvirt'

describe('resolvePkiFiles', () => {
  it('root: the system files', () => {
    expect(resolvePkiFiles(undefined, environment({ isRoot: true }))).toEqual({
      caCert: '/etc/pki/CA/cacert.pem',
      clientCert: '/etc/pki/libvirt/clientcert.pem',
      clientKey: '/etc/pki/libvirt/private/clientkey.pem',
      source: 'system',
    })
  })

  it('a user: ~/.pki/libvirt when the files are there', () => {
    const files = [`${USER}/cacert.pem`, `${USER}/clientcert.pem`, `${USER}/clientkey.pem`]
    expect(resolvePkiFiles(undefined, environment({ files }))).toEqual({
      caCert: `${USER}/cacert.pem`,
      clientCert: `${USER}/clientcert.pem`,
      clientKey: `${USER}/clientkey.pem`,
      source: 'user',
    })
  })

  it('a user: the system pair unless both user files exist, the CA on its own', () => {
    const files = [`${USER}/cacert.pem`, `${USER}/clientcert.pem`]
    expect(resolvePkiFiles(undefined, environment({ files }))).toEqual({
      caCert: `${USER}/cacert.pem`,
      clientCert: '/etc/pki/libvirt/clientcert.pem',
      clientKey: '/etc/pki/libvirt/private/clientkey.pem',
      source: 'mixed',
    })
    expect(resolvePkiFiles(undefined, environment()).source).toBe('system')
  })

  it('pkipath= wins', () => {
    expect(resolvePkiFiles('/opt/pki', environment({ isRoot: true }))).toEqual({
      caCert: '/opt/pki/cacert.pem',
      clientCert: '/opt/pki/clientcert.pem',
      clientKey: '/opt/pki/clientkey.pem',
      source: 'pkipath',
    })
  })

  it('Windows: %APPDATA%\\libvirt\\pki', () => {
    const win = environment({
      platform: 'win32',
      home: 'C:\\Users\\me',
      env: { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' },
    })
    expect(resolvePkiFiles(undefined, win)).toEqual({
      caCert: 'C:\\Users\\me\\AppData\\Roaming\\libvirt\\pki\\cacert.pem',
      clientCert: 'C:\\Users\\me\\AppData\\Roaming\\libvirt\\pki\\clientcert.pem',
      clientKey: 'C:\\Users\\me\\AppData\\Roaming\\libvirt\\pki\\clientkey.pem',
      source: 'user',
    })
    expect(resolvePkiFiles('D:\\pki', win).caCert).toBe('D:\\pki\\cacert.pem')
  })
})

describe('loadPkiFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-pki-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const files = (name: string): ReturnType<typeof resolvePkiFiles> =>
    resolvePkiFiles(join(dir, name), environment())

  it('names a missing CA file, and allows it with no_verify', async () => {
    const err = await loadPkiFiles(files('empty')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TlsConfigError)
    expect((err as Error).message).toContain(
      `CA certificate ${join(dir, 'empty', 'cacert.pem')}: missing`,
    )
    const loose = await loadPkiFiles(files('empty'), false)
    expect(loose.ca).toBeUndefined()
    expect(loose.missingClientFiles).toHaveLength(2)
  })

  it('names the half of a client pair that is missing', async () => {
    const f = files('')
    writeFileSync(f.caCert, 'CA')
    writeFileSync(f.clientCert, 'CERT')
    const err = await loadPkiFiles(f).catch((e: unknown) => e)
    expect((err as TlsConfigError).problems).toEqual([
      `client key ${f.clientKey}: missing (the certificate is there)`,
    ])
    writeFileSync(f.clientKey, 'KEY')
    const ok = await loadPkiFiles(f)
    expect(ok.cert?.toString()).toBe('CERT')
    expect(ok.missingClientFiles).toEqual([])
  })
})
