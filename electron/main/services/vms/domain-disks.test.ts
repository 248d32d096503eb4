import { describe, expect, it } from 'vitest'
import { diskKeys, domainStorage, volumeKey } from './domain-disks'

const XML = `<domain type='qemu'>
  <name>web</name>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>/var/lib/libvirt/qemu/nvram/web_VARS.fd</nvram>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/pool/web.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='block' device='disk'>
      <source dev='/dev/vg/data'/>
      <target dev='vdb' bus='virtio'/>
      <shareable/>
    </disk>
    <disk type='volume' device='disk'>
      <source pool='fast' volume='scratch.img'/>
      <target dev='vdc' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <disk type='network' device='disk'>
      <source protocol='rbd' name='pool/image'/>
      <target dev='vdd' bus='virtio'/>
    </disk>
  </devices>
</domain>`

describe('domainStorage', () => {
  it('reads each disk’s source, flags and the NVRAM path', () => {
    const { disks, nvram } = domainStorage(XML)
    expect(nvram).toBe('/var/lib/libvirt/qemu/nvram/web_VARS.fd')
    expect(disks).toEqual([
      {
        target: 'vda',
        device: 'disk',
        type: 'file',
        path: '/pool/web.qcow2',
        readonly: false,
        shareable: false,
      },
      {
        target: 'vdb',
        device: 'disk',
        type: 'block',
        path: '/dev/vg/data',
        readonly: false,
        shareable: true,
      },
      {
        target: 'vdc',
        device: 'disk',
        type: 'volume',
        poolVolume: { pool: 'fast', volume: 'scratch.img' },
        readonly: false,
        shareable: false,
      },
      { target: 'sda', device: 'cdrom', type: 'file', readonly: true, shareable: false },
      { target: 'vdd', device: 'disk', type: 'network', readonly: false, shareable: false },
    ])
  })

  it('reads the newer <nvram><source file> form, a single disk, and no disks at all', () => {
    const one = `<domain><os><nvram type='file'><source file='/n/VARS.fd'/></nvram></os>
      <devices><disk type='file' device='disk'><source file='/a.img'/><target dev='hda'/></disk></devices></domain>`
    expect(domainStorage(one)).toEqual({
      nvram: '/n/VARS.fd',
      disks: [
        {
          target: 'hda',
          device: 'disk',
          type: 'file',
          path: '/a.img',
          readonly: false,
          shareable: false,
        },
      ],
    })
    expect(domainStorage('<domain><name>x</name><devices/></domain>')).toEqual({ disks: [] })
  })

  it('keys disks by path and pool volume, for finding other VMs that use them', () => {
    expect(diskKeys(XML)).toEqual([
      '/pool/web.qcow2',
      '/dev/vg/data',
      volumeKey('fast', 'scratch.img'),
    ])
  })
})
