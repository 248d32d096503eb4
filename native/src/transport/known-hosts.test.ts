import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  appendKnownHostsLine,
  entryMatches,
  fingerprintSha256,
  formatKnownHostsLine,
  keyTypeOf,
  knownHostsName,
  lookupHostKey,
  parseKnownHosts,
  readKnownHostsFile,
} from './known-hosts'

// Made with ssh-keygen; fingerprints from `ssh-keygen -lf`, the hashed line from `ssh-keygen -H`.
const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAILSPemc8J37UYpJkxec6YteRYkUx/lgyfKZ0+XrRb4UG'
const K1_FP = 'SHA256:u7M3eXYb562Fzp4NaW70f52mznDeQaEKmExuQLkAByo'
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAINb5xJuBt5P2cMFhOOPVxhAtFuRgbZX21CphjlCXYsYu'
const K3 =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIBJRI71+TzfLIvCzWeLG0H3A/w/jpmWKs6uQ+R+1GhnrYILSiD6UBkEkrivDzGk1T2aMai7HQBlR8njETSfEDg='
const K3_FP = 'SHA256:U2vAtZMWiHSjysdT0V6MLozn0pOKLB5jBeVh1CisR4c'
const HASHED_K1 = `|1|h1n4T3i52qJAE1HLUrPZOc7zXVA=|GFSl8nF3lmejnCI+QpJ54O5iz1w= ssh-ed25519 ${K1}`
const key = (b64: string): Buffer => Buffer.from(b64, 'base64')

const dir = mkdtempSync(join(tmpdir(), 'virtdeck-kh-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('known_hosts parsing', () => {
  it('reads plain, [host]:port, hashed and marked lines and reports bad ones', () => {
    const text = [
      '# comment',
      '',
      `server.example,10.0.0.5 ssh-ed25519 ${K1} me@laptop`,
      `[127.0.0.1]:2222 ecdsa-sha2-nistp256 ${K3}`,
      HASHED_K1,
      `@revoked * ssh-ed25519 ${K2}`,
      `@cert-authority *.example ssh-ed25519 ${K1}`,
      `@bogus host ssh-ed25519 ${K1}`,
      'host-only-two-fields ssh-ed25519',
      'host ssh-ed25519 not*base64',
      `host ssh-rsa ${K1}`,
    ].join('\n')
    const { entries, problems } = parseKnownHosts(text, '/kh')
    expect(entries.map((e) => [e.line, e.hosts, e.keyType, e.marker])).toEqual([
      [3, 'server.example,10.0.0.5', 'ssh-ed25519', undefined],
      [4, '[127.0.0.1]:2222', 'ecdsa-sha2-nistp256', undefined],
      [5, HASHED_K1.split(' ')[0], 'ssh-ed25519', undefined],
      [6, '*', 'ssh-ed25519', 'revoked'],
      [7, '*.example', 'ssh-ed25519', 'cert-authority'],
    ])
    expect(entries[0]!.text).toBe(`server.example,10.0.0.5 ssh-ed25519 ${K1} me@laptop`)
    expect(problems.map((p) => p.line)).toEqual([8, 9, 10, 11])
    expect(problems[3]!.reason).toMatch(/not of type ssh-rsa/)
  })

  it('names hosts as OpenSSH does', () => {
    expect(knownHostsName('Server.Example', 22)).toBe('server.example')
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222')
  })

  it('matches patterns with wildcards and negation, and hashed names', () => {
    expect(entryMatches('a.example,b.example', 'b.example')).toBe(true)
    expect(entryMatches('*.example', 'vm.example')).toBe(true)
    expect(entryMatches('vm?.example', 'vm1.example')).toBe(true)
    expect(entryMatches('vm?.example', 'vm10.example')).toBe(false)
    expect(entryMatches('*.example,!bad.example', 'bad.example')).toBe(false)
    expect(entryMatches('[127.0.0.1]:2222', '127.0.0.1')).toBe(false)
    expect(entryMatches('[127.0.0.1]:*', '[127.0.0.1]:2222')).toBe(true)
    const hashed = HASHED_K1.split(' ')[0]!
    expect(entryMatches(hashed, '[example.org]:2222')).toBe(true)
    expect(entryMatches(hashed, 'example.org')).toBe(false)
  })

  it('computes OpenSSH fingerprints and reads key types from blobs', () => {
    expect(fingerprintSha256(key(K1))).toBe(K1_FP)
    expect(fingerprintSha256(key(K3))).toBe(K3_FP)
    expect(keyTypeOf(key(K3))).toBe('ecdsa-sha2-nistp256')
    expect(keyTypeOf(Buffer.from([0, 0]))).toBe('')
  })
})

describe('host key lookup', () => {
  const { entries } = parseKnownHosts(
    [
      `[h.example]:2222 ssh-ed25519 ${K1}`,
      `[h.example]:2222 ecdsa-sha2-nistp256 ${K3}`,
      `other.example ssh-ed25519 ${K2}`,
      `@revoked bad.example ssh-ed25519 ${K2}`,
      `bad.example ssh-ed25519 ${K2}`,
    ].join('\n'),
    '/kh',
  )

  it('knows a recorded key', () => {
    const r = lookupHostKey(entries, 'h.example', 2222, key(K1))
    expect(r.status).toBe('known')
  })

  it('reports a different key of the same type as changed, with the lines', () => {
    const r = lookupHostKey(entries, 'h.example', 2222, key(K2))
    expect(r).toMatchObject({ status: 'changed', entries: [{ line: 1 }] })
  })

  it('treats another port as another host', () => {
    expect(lookupHostKey(entries, 'h.example', 22, key(K1))).toEqual({
      status: 'unknown',
      otherTypes: [],
    })
  })

  it('refuses a revoked key even when a plain line accepts it', () => {
    expect(lookupHostKey(entries, 'bad.example', 22, key(K2)).status).toBe('revoked')
  })

  it('says which other key types are known for an unknown type', () => {
    const only = entries.filter((e) => e.keyType === 'ecdsa-sha2-nistp256')
    expect(lookupHostKey(only, 'h.example', 2222, key(K1))).toEqual({
      status: 'unknown',
      otherTypes: ['ecdsa-sha2-nistp256'],
    })
  })
})

describe('known_hosts files', () => {
  it('formats new lines, plain and hashed, that lookups then find', () => {
    expect(formatKnownHostsLine('H.example', 2222, key(K1))).toBe(
      `[h.example]:2222 ssh-ed25519 ${K1}`,
    )
    const hashed = formatKnownHostsLine('h.example', 22, key(K1), true)
    expect(hashed).toMatch(/^\|1\|[A-Za-z0-9+/=]{28}\|[A-Za-z0-9+/=]{28} ssh-ed25519 /)
    const { entries } = parseKnownHosts(hashed)
    expect(lookupHostKey(entries, 'h.example', 22, key(K1)).status).toBe('known')
  })

  it('appends on a new line, creating the file and directory', async () => {
    const file = join(dir, 'sub', 'known_hosts')
    expect((await readKnownHostsFile(file)).entries).toEqual([])
    await appendKnownHostsLine(file, `a ssh-ed25519 ${K1}`)
    writeFileSync(file, `${readFileSync(file, 'utf8')}# no newline at the end`)
    await appendKnownHostsLine(file, `b ssh-ed25519 ${K2}`)
    const { entries } = await readKnownHostsFile(file)
    expect(entries.map((e) => [e.hosts, e.line, e.file])).toEqual([
      ['a', 1, file],
      ['b', 3, file],
    ])
  })
})
