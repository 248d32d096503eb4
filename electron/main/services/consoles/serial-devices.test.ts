import { describe, expect, it } from 'vitest'
import { serialDevicesOf } from './serial-devices'

/** The live XML libvirt 9.0 gave for the tiny guest plus a file serial and a virtio console. */
const LIVE = `<domain type='qemu' id='7'><name>g</name><devices>
  <serial type='pty'><source path='/dev/pts/0'/>
    <target type='isa-serial' port='0'><model name='isa-serial'/></target>
    <alias name='serial0'/></serial>
  <serial type='file'><source path='/tmp/g.log'/>
    <target type='isa-serial' port='1'><model name='isa-serial'/></target>
    <alias name='serial1'/></serial>
  <console type='pty' tty='/dev/pts/0'><source path='/dev/pts/0'/>
    <target type='serial' port='0'/><alias name='serial0'/></console>
  <console type='pty'><source path='/dev/pts/1'/>
    <target type='virtio' port='1'/><alias name='console1'/></console>
</devices></domain>`

describe('serialDevicesOf', () => {
  it('lists serial ports and consoles once, with what libvirt can open', () => {
    expect(serialDevicesOf(LIVE, true)).toEqual([
      {
        kind: 'serial',
        alias: 'serial0',
        type: 'pty',
        targetType: 'isa-serial',
        port: 0,
        openable: true,
      },
      {
        kind: 'serial',
        alias: 'serial1',
        type: 'file',
        targetType: 'isa-serial',
        port: 1,
        openable: false,
        unavailable: 'not-pty',
      },
      {
        kind: 'console',
        alias: 'console1',
        type: 'pty',
        targetType: 'virtio',
        port: 1,
        openable: true,
      },
    ])
  })

  it('marks every device of a shut-off VM unavailable and matches consoles by port', () => {
    const inactive = LIVE.replace(/<alias [^>]*\/>/g, '').replace(/<source [^>]*\/>/g, '')
    const devices = serialDevicesOf(inactive, false)
    expect(devices.map((d) => [d.kind, d.port, d.openable, d.unavailable, d.alias])).toEqual([
      ['serial', 0, false, 'not-running', undefined],
      ['serial', 1, false, 'not-running', undefined],
      ['console', 1, false, 'not-running', undefined],
    ])
  })

  it('copes with a VM without consoles and with a lone console', () => {
    expect(serialDevicesOf('<domain><devices/></domain>', true)).toEqual([])
    const lone = `<domain><devices><console type='pty'><target type='serial' port='0'/>
      <alias name='serial0'/></console></devices></domain>`
    expect(serialDevicesOf(lone, true)).toEqual([
      {
        kind: 'console',
        alias: 'serial0',
        type: 'pty',
        targetType: 'serial',
        port: 0,
        openable: true,
      },
    ])
  })
})
