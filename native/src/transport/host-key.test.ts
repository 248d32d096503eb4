import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import {
  checkHostKey,
  defaultKnownHostsFile,
  hostKeyPolicies,
  knownHostsFilesToRead,
  preferredHostKeyAlgorithms,
  type UnknownHostKey,
} from './host-key'
import { HostKeyMismatchError, HostKeyUnknownError } from './ssh-errors'

const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAILSPemc8J37UYpJkxec6YteRYkUx/lgyfKZ0+XrRb4UG'
const K1_FP = 'SHA256:u7M3eXYb562Fzp4NaW70f52mznDeQaEKmExuQLkAByo'
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAINb5xJuBt5P2cMFhOOPVxhAtFuRgbZX21CphjlCXYsYu'
const K3 =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIBJRI71+TzfLIvCzWeLG0H3A/w/jpmWKs6uQ+R+1GhnrYILSiD6UBkEkrivDzGk1T2aMai7HQBlR8njETSfEDg='
const key = (b64: string): Buffer => Buffer.from(b64, 'base64')

const dir = mkdtempSync(join(tmpdir(), 'virtdeck-hostkey-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
function knownHosts(text: string): string {
  const file = join(dir, `kh${n++}`)
  writeFileSync(file, text)
  return file
}

describe('checkHostKey', () => {
  it('accepts a recorded key without asking', async () => {
    const policy = vi.fn(hostKeyPolicies.reject)
    const file = knownHosts(`[h]:2222 ssh-ed25519 ${K1}\n`)
    const v = await checkHostKey('h', 2222, key(K1), {
      knownHostsFile: file,
      hostKeyPolicy: policy,
    })
    expect(v).toMatchObject({ how: 'known', keyType: 'ssh-ed25519', fingerprint: K1_FP })
    expect(v.entry?.line).toBe(1)
    expect(policy).not.toHaveBeenCalled()
  })

  it('refuses a changed key whatever the policy says, naming fingerprint and line', async () => {
    const file = knownHosts(`# mine\n[h]:2222 ssh-ed25519 ${K2}\n`)
    const policy = vi.fn(hostKeyPolicies.acceptAndSave)
    const err = await checkHostKey('h', 2222, key(K1), {
      knownHostsFile: file,
      hostKeyPolicy: policy,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HostKeyMismatchError)
    const e = err as HostKeyMismatchError
    expect(e.message).toContain(K1_FP)
    expect(e.message).toContain(`${file}:2`)
    expect(e.message).toContain('CHANGED')
    expect(e.known).toEqual([{ file, line: 2, text: `[h]:2222 ssh-ed25519 ${K2}` }])
    expect(e.toJSON()).toMatchObject({ code: 'HOST_KEY_MISMATCH', details: { fingerprint: K1_FP } })
    expect(policy).not.toHaveBeenCalled()
    expect(readFileSync(file, 'utf8')).toBe(`# mine\n[h]:2222 ssh-ed25519 ${K2}\n`)
  })

  it('refuses a revoked key', async () => {
    const file = knownHosts(`@revoked * ssh-ed25519 ${K1}\n`)
    const err = await checkHostKey('h', 22, key(K1), {
      knownHostsFile: file,
      hostKeyPolicy: hostKeyPolicies.acceptOnce,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(HostKeyMismatchError)
    expect((err as HostKeyMismatchError).revoked).toBe(true)
  })

  it('rejects an unknown key by default', async () => {
    const file = join(dir, 'missing-known-hosts')
    const err = await checkHostKey('h', 22, key(K1), { knownHostsFile: file }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(HostKeyUnknownError)
    expect((err as HostKeyUnknownError).message).toContain(K1_FP)
  })

  it('asks the policy about an unknown key and honours accept-once', async () => {
    const file = knownHosts(`h ecdsa-sha2-nistp256 ${K3}\n`)
    const seen: UnknownHostKey[] = []
    const v = await checkHostKey('h', 22, key(K1), {
      knownHostsFile: file,
      hostKeyPolicy: async (k) => {
        seen.push(k)
        return 'accept-once' as const
      },
    })
    expect(v.how).toBe('accepted-once')
    expect(seen).toEqual([
      {
        host: 'h',
        port: 22,
        name: 'h',
        keyType: 'ssh-ed25519',
        fingerprint: K1_FP,
        knownHostsFile: file,
        otherKnownTypes: ['ecdsa-sha2-nistp256'],
      },
    ])
    expect(readFileSync(file, 'utf8')).toBe(`h ecdsa-sha2-nistp256 ${K3}\n`)
  })

  it('saves the key on accept-and-save, so the next check knows it', async () => {
    const file = join(dir, 'new', 'known_hosts')
    const save = { knownHostsFile: file, hostKeyPolicy: hostKeyPolicies.acceptAndSave }
    expect((await checkHostKey('h', 2222, key(K1), save)).how).toBe('saved')
    expect(readFileSync(file, 'utf8')).toBe(`[h]:2222 ssh-ed25519 ${K1}\n`)
    expect((await checkHostKey('h', 2222, key(K1), { knownHostsFile: file })).how).toBe('known')
    const hashedFile = join(dir, 'hashed')
    await checkHostKey('h', 22, key(K1), {
      ...save,
      knownHostsFile: hashedFile,
      hashKnownHosts: true,
    })
    expect(readFileSync(hashedFile, 'utf8')).toMatch(/^\|1\|/)
    expect((await checkHostKey('h', 22, key(K1), { knownHostsFile: hashedFile })).how).toBe('known')
  })

  it('reads extra files but never writes them', async () => {
    const global = knownHosts(`h ssh-ed25519 ${K1}\n`)
    const own = join(dir, 'own')
    const v = await checkHostKey('h', 22, key(K1), {
      knownHostsFile: own,
      extraKnownHostsFiles: [global],
    })
    expect(v.entry?.file).toBe(global)
  })

  it('defaults to ~/.ssh/known_hosts', () => {
    expect(defaultKnownHostsFile('/home/me')).toBe('/home/me/.ssh/known_hosts')
  })
})

describe('preferredHostKeyAlgorithms', () => {
  it('lists the recorded key types of the host, rsa with its signature variants', async () => {
    const file = knownHosts(
      `[h]:2222 ecdsa-sha2-nistp256 ${K3}\n[h]:2222 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7\nother ssh-ed25519 ${K1}\n`,
    )
    expect(await preferredHostKeyAlgorithms('h', 2222, { knownHostsFile: file })).toEqual([
      'ecdsa-sha2-nistp256',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ])
    expect(await preferredHostKeyAlgorithms('x', 22, { knownHostsFile: file })).toEqual([])
  })
})

describe('knownHostsFilesToRead', () => {
  it('adds the system-wide file only to the default, and not on Windows', () => {
    expect(knownHostsFilesToRead({}, 'linux')[1]).toBe('/etc/ssh/ssh_known_hosts')
    expect(knownHostsFilesToRead({}, 'win32')).toHaveLength(1)
    expect(knownHostsFilesToRead({ knownHostsFile: '/kh' }, 'linux')).toEqual(['/kh'])
    expect(knownHostsFilesToRead({ extraKnownHostsFiles: ['/x'] }, 'linux')[1]).toBe('/x')
  })
})
