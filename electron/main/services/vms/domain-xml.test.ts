import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DomainXmlError, parseDomainXml } from './domain-xml'

/**
 * XML captured with `virsh dumpxml` from the test host (libvirt 9.0, QEMU 7.2): the shared
 * domains as up.sh defines them, a running copy of virtdeck-linux, a UEFI secure-boot guest
 * (OVMF auto-selected) both running and shut off, and a definition with block, network and
 * CD-ROM disks, a direct NIC, a TCP serial and two displays.
 */
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}.xml`, import.meta.url), 'utf8')

describe('parseDomainXml', () => {
  it('reads the test host’s tiny Linux guest: BIOS, direct kernel boot, no disks or NICs', () => {
    const d = parseDomainXml(fixture('virtdeck-linux.inactive'))
    expect(d).toMatchObject({
      name: 'virtdeck-linux',
      uuid: '6e448c71-07f7-4258-9eca-a59eed065ea1',
      title: 'Virtdeck test: tiny Linux (busybox shell on serial)',
      domainType: 'qemu',
      osType: 'hvm',
      arch: 'x86_64',
      machine: 'pc-i440fx-7.2',
      firmware: { kind: 'bios', secureBoot: false },
      kernel: {
        path: '/var/tmp/virtdeck-test-host/cache/guest/6.1.0-56-cloud-amd64/vmlinuz',
        initrd: '/var/tmp/virtdeck-test-host/cache/guest/6.1.0-56-cloud-amd64/initrd.gz',
        cmdline: 'console=ttyS0 quiet',
      },
      vcpus: { current: 1, max: 1 },
      memoryKiB: 262144,
      currentMemoryKiB: 262144,
      bootOrder: [{ device: 'hd' }],
      disks: [],
      nics: [],
      graphics: [{ type: 'vnc', autoport: true, listen: '127.0.0.1' }],
    })
    expect(d.description).toBeUndefined()
    expect(d.firmware.loader).toBeUndefined()
    expect(d.consoles).toEqual([
      { kind: 'serial', type: 'pty', targetType: 'isa-serial', port: 0 },
      { kind: 'console', type: 'pty', targetType: 'serial', port: 0 },
    ])
  })

  it('reads the live XML of a running copy: the VNC port and the console ptys', () => {
    const d = parseDomainXml(fixture('linux-copy.live'))
    expect(d.name).toBe('vdk-details-capture-linux')
    expect(d.graphics).toEqual([{ type: 'vnc', port: 5901, autoport: true, listen: '127.0.0.1' }])
    expect(d.consoles.map((c) => c.source)).toEqual(['/dev/pts/1', '/dev/pts/1'])
  })

  it('reads the diskless VNC guest', () => {
    const d = parseDomainXml(fixture('virtdeck-vnc.inactive'))
    expect(d).toMatchObject({ name: 'virtdeck-vnc', memoryKiB: 131072, disks: [], consoles: [] })
    expect(d.kernel).toBeUndefined()
  })

  it('reads a running UEFI secure-boot guest: loader, NVRAM, per-device boot order, NICs', () => {
    const d = parseDomainXml(fixture('uefi-secure.live'))
    expect(d).toMatchObject({
      title: 'UEFI capture',
      description: 'A UEFI guest with secure boot, captured for the details parser tests',
      machine: 'pc-q35-7.2',
      vcpus: { current: 1, max: 2 },
      firmware: {
        kind: 'uefi',
        loader: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd',
        loaderType: 'pflash',
        secureBoot: true,
        nvram: '/var/lib/libvirt/qemu/nvram/vdk-details-capture-uefi_VARS.fd',
      },
    })
    expect(d.bootOrder).toEqual([
      { device: 'cdrom', target: 'sda' },
      { device: 'disk', target: 'vda' },
      { device: 'interface', target: '52:54:00:e9:49:9c' },
    ])
    expect(d.disks).toEqual([
      {
        device: 'disk',
        targetDev: 'vda',
        bus: 'virtio',
        sourceType: 'file',
        source: '/var/tmp/vdk-details-capture/disk0.qcow2',
        format: 'qcow2',
        readOnly: false,
      },
      {
        device: 'disk',
        targetDev: 'vdb',
        bus: 'virtio',
        sourceType: 'volume',
        source: 'virtdeck-pool/vdk-details-capture.qcow2',
        format: 'qcow2',
        readOnly: true,
      },
      // An empty CD-ROM drive: no source, no format.
      {
        device: 'cdrom',
        targetDev: 'sda',
        bus: 'sata',
        sourceType: 'file',
        source: '',
        readOnly: true,
      },
    ])
    expect(d.nics).toEqual([
      {
        mac: '52:54:00:e9:49:9c',
        type: 'network',
        source: 'virtdeck-isolated',
        model: 'virtio',
        targetDev: 'vnet0',
        linkUp: true,
        addresses: [],
      },
      {
        mac: '52:54:00:aa:bb:02',
        type: 'bridge',
        source: 'virbr-vdk',
        model: 'e1000e',
        targetDev: 'vnet1',
        linkUp: false,
        addresses: [],
      },
      {
        mac: '52:54:00:aa:bb:03',
        type: 'user',
        source: '',
        model: 'virtio',
        linkUp: true,
        addresses: [],
      },
    ])
  })

  it('reads a shut-off UEFI guest whose firmware libvirt picks at start', () => {
    const d = parseDomainXml(fixture('uefi-secure.inactive'))
    expect(d.firmware).toEqual({ kind: 'uefi', secureBoot: true })
    // The balloon target differs from the maximum only in the persistent definition here.
    expect(d.currentMemoryKiB).toBe(196608)
    expect(d.memoryKiB).toBe(262144)
  })

  it('reads block, network and CD-ROM disks, a direct NIC, TCP serial, SPICE and VNC', () => {
    const d = parseDomainXml(fixture('devices.inactive'))
    expect(d.bootOrder).toEqual([{ device: 'cdrom' }, { device: 'hd' }, { device: 'network' }])
    expect(d.vcpus).toEqual({ current: 4, max: 4 })
    expect(d.memoryKiB).toBe(2 * 1024 * 1024)
    expect(d.disks.map((x) => [x.device, x.targetDev, x.sourceType, x.source, x.readOnly])).toEqual(
      [
        ['disk', 'sda', 'block', '/dev/vdk-details-nonexistent', false],
        ['disk', 'vdc', 'network', 'nbd://192.0.2.10:10809/export', false],
        ['cdrom', 'hdc', 'file', '/var/tmp/vdk-details-capture/installer.iso', true],
      ],
    )
    expect(d.nics).toEqual([
      {
        mac: '52:54:00:aa:bb:10',
        type: 'direct',
        source: 'eth0',
        model: 'virtio',
        linkUp: true,
        addresses: [],
      },
    ])
    expect(d.consoles).toEqual([
      { kind: 'serial', type: 'pty', targetType: 'isa-serial', port: 0 },
      { kind: 'serial', type: 'tcp', targetType: 'isa-serial', port: 1, source: '127.0.0.1:4555' },
      { kind: 'console', type: 'pty', targetType: 'serial', port: 0 },
    ])
    expect(d.graphics).toEqual([
      { type: 'spice', autoport: true, listen: '0.0.0.0' },
      { type: 'vnc', port: 5999, autoport: false, listen: '0.0.0.0' },
    ])
  })

  it('converts memory units, keeps numeric-looking names as text and decodes entities', () => {
    const d = parseDomainXml(`<domain type='kvm'><name>007</name>
      <description>a &lt;b&gt; &amp; c</description>
      <memory unit='GiB'>1</memory><currentMemory unit='MiB'>512</currentMemory>
      <vcpu current='2'>8</vcpu><os><type>hvm</type></os></domain>`)
    expect(d).toMatchObject({
      name: '007',
      description: 'a <b> & c',
      memoryKiB: 1048576,
      currentMemoryKiB: 524288,
      vcpus: { current: 2, max: 8 },
      bootOrder: [],
    })
  })

  it('refuses XML that is not a domain', () => {
    expect(() => parseDomainXml('<network><name>x</name></network>')).toThrow(DomainXmlError)
  })
})
