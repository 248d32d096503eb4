import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  autoCommand,
  helperCommand,
  helperUri,
  netcatCommand,
  planSshRoutes,
  shellQuote,
} from './ssh-routes'
import { parseLibvirtUri, UriError } from './uri'

const uri = parseLibvirtUri

describe('planSshRoutes', () => {
  it('system, default proxy: streamlocal to libvirt-sock, then helper-or-nc', () => {
    const routes = planSshRoutes(uri('qemu+ssh://root@h/system'), false)
    expect(routes.map((r) => r.kind)).toEqual(['streamlocal', 'exec'])
    expect(routes[0]).toEqual({ kind: 'streamlocal', socketPath: '/var/run/libvirt/libvirt-sock' })
    expect(routes[1]).toMatchObject({ via: 'auto' })
  })

  it('read-only: the -ro socket and virt-ssh-helper -r', () => {
    const routes = planSshRoutes(uri('qemu+ssh://h/system'), true)
    expect(routes[0]).toEqual({
      kind: 'streamlocal',
      socketPath: '/var/run/libvirt/libvirt-sock-ro',
    })
    expect(routes[1]!.kind === 'exec' && routes[1]!.command).toContain(
      'exec virt-ssh-helper -r qemu:///system;',
    )
  })

  it('proxy=native: only the helper; a session URI implies it', () => {
    for (const u of ['qemu+ssh://h/system?proxy=native', 'qemu+ssh://h/session']) {
      const routes = planSshRoutes(uri(u), false)
      expect(routes).toHaveLength(1)
      expect(routes[0]).toMatchObject({ kind: 'exec', via: 'virt-ssh-helper' })
    }
  })

  it('socket= implies netcat: streamlocal then nc, to that socket', () => {
    const routes = planSshRoutes(
      uri('qemu+ssh://h/session?socket=/run/user/1000/libvirt/libvirt-sock'),
      false,
    )
    expect(routes).toEqual([
      { kind: 'streamlocal', socketPath: '/run/user/1000/libvirt/libvirt-sock' },
      {
        kind: 'exec',
        via: 'netcat',
        command: netcatCommand('/run/user/1000/libvirt/libvirt-sock'),
      },
    ])
  })

  it('proxy=netcat on a session URI without socket= is explained', () => {
    expect(() => planSshRoutes(uri('qemu+ssh://h/session?proxy=netcat'), false)).toThrow(UriError)
    expect(() => planSshRoutes(uri('qemu+ssh://h/session?proxy=netcat'), false)).toThrow(/socket=/)
  })

  it('a forced order wins', () => {
    const routes = planSshRoutes(uri('qemu+ssh://h/system?netcat=/opt/nc'), false, [
      'virt-ssh-helper',
      'netcat',
    ])
    expect(routes.map((r) => r.kind === 'exec' && r.via)).toEqual(['virt-ssh-helper', 'netcat'])
    expect(routes[1]!.kind === 'exec' && routes[1]!.command).toContain('/opt/nc')
  })

  it('gives the helper the daemon name plus mode=, never the host', () => {
    expect(helperUri(uri('qemu+ssh://root@h:22/system?keyfile=/k&mode=direct'))).toBe(
      'qemu:///system?mode=direct',
    )
    expect(helperUri(uri('test+ssh://h/var/tmp/x.xml'))).toBe('test:///var/tmp/x.xml')
  })
})

describe('remote commands', () => {
  it('quotes words for a POSIX shell', () => {
    expect(shellQuote('/var/run/libvirt/libvirt-sock')).toBe('/var/run/libvirt/libvirt-sock')
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`)
    expect(shellQuote('qemu:///system?mode=direct')).toBe(`'qemu:///system?mode=direct'`)
  })

  // Runs the commands the way sshd does ($SHELL -c COMMAND) with stand-in programs on PATH.
  const dir = mkdtempSync(join(tmpdir(), 'virtdeck-routes-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const bin = (name: string, withHelper: boolean): string => {
    const b = join(dir, name)
    mkdirSync(b)
    symlinkSync('/bin/sh', join(b, 'sh'))
    symlinkSync(
      execFileSync('/bin/sh', ['-c', 'command -v grep'], { encoding: 'utf8' }).trim(),
      join(b, 'grep'),
    )
    const script = (body: string): string => `#!/bin/sh\n${body}\n`
    writeFileSync(
      join(b, 'nc'),
      script(
        `if [ "$1" = "-q" ] && [ $# -eq 1 ]; then echo "nc: option requires an argument -- 'q'" >&2; exit 1; fi\nfor a in "$@"; do printf '[%s]' "$a"; done; echo`,
      ),
    )
    chmodSync(join(b, 'nc'), 0o755)
    if (withHelper) {
      writeFileSync(
        join(b, 'virt-ssh-helper'),
        script(`printf 'helper'; for a in "$@"; do printf '[%s]' "$a"; done; echo`),
      )
      chmodSync(join(b, 'virt-ssh-helper'), 0o755)
    }
    return b
  }
  const withHelper = bin('with-helper', true)
  const withoutHelper = bin('without-helper', false)
  const run = (command: string, path: string): string =>
    spawnSync('/bin/sh', ['-c', command], { env: { PATH: path }, encoding: 'utf8' }).stdout.trim()
  const u = uri('qemu+ssh://h/system?mode=direct')
  const sock = "/tmp/a dir/it's-sock"

  it('the combined command runs virt-ssh-helper when it is there', () => {
    expect(run(autoCommand(u, sock, true), withHelper)).toBe(
      'helper[-r][qemu:///system?mode=direct]',
    )
    expect(run(helperCommand(u, false), withHelper)).toBe('helper[qemu:///system?mode=direct]')
  })

  it('and nc -q0 -U otherwise, with the socket path intact', () => {
    expect(run(autoCommand(u, sock, false), withoutHelper)).toBe(`[-q0][-U][${sock}]`)
    expect(run(netcatCommand(sock), withHelper)).toBe(`[-q0][-U][${sock}]`)
  })
})
