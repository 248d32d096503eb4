import { z } from 'zod'
import { method, service } from './define'
import { VmState } from './vms'

/** Firmware: BIOS (SeaBIOS) or UEFI, with the files UEFI boots from. */
export const VmFirmware = z.object({
  kind: z.enum(['bios', 'uefi']),
  /** The loader image (OVMF_CODE...); absent when libvirt picks one at start. */
  loader: z.string().optional(),
  /** rom or pflash. */
  loaderType: z.string().optional(),
  secureBoot: z.boolean(),
  /** The VM's own UEFI variable store. */
  nvram: z.string().optional(),
})
/** Firmware: BIOS or UEFI. */
export type VmFirmware = z.infer<typeof VmFirmware>

/**
 * One entry of the boot order: a device class from `<os><boot dev>` (hd, cdrom, network,
 * fd), or one device by its own `<boot order>` with a target (a disk, CD-ROM or floppy's
 * target dev, a NIC's MAC).
 */
export const VmBootEntry = z.object({
  device: z.enum(['hd', 'cdrom', 'network', 'fd', 'disk', 'interface', 'hostdev', 'other']),
  /** For single devices: the disk's target (vda) or the NIC's MAC. */
  target: z.string().optional(),
})
/** One entry of the boot order. */
export type VmBootEntry = z.infer<typeof VmBootEntry>

/** A disk, CD-ROM or floppy. */
export const VmDisk = z.object({
  /** disk, cdrom, floppy, lun. */
  device: z.string(),
  /** The guest-facing name libvirt uses (vda, sda, hdc). */
  targetDev: z.string(),
  /** virtio, sata, scsi, ide, usb ... */
  bus: z.string().optional(),
  /** The disk's type: file, block, volume, network, dir. */
  sourceType: z.string(),
  /** Path, device, pool/volume or protocol://host/name; empty when there is no medium. */
  source: z.string(),
  /** qcow2, raw ... */
  format: z.string().optional(),
  readOnly: z.boolean(),
})
/** A disk, CD-ROM or floppy. */
export type VmDisk = z.infer<typeof VmDisk>

/** An address the guest has on a NIC. */
export const VmIpAddress = z.object({
  family: z.enum(['ipv4', 'ipv6']),
  address: z.string(),
  prefix: z.number().int(),
})
/** An address the guest has on a NIC. */
export type VmIpAddress = z.infer<typeof VmIpAddress>

/** A network interface. */
export const VmNic = z.object({
  mac: z.string(),
  /** network, bridge, user, direct, ethernet ... */
  type: z.string(),
  /** The network, bridge or host device it connects to; empty for user networking. */
  source: z.string(),
  model: z.string().optional(),
  /** The host-side tap device (vnet0) of a running VM. */
  targetDev: z.string().optional(),
  linkUp: z.boolean(),
  /** What the guest uses, when a lease, the guest agent or the ARP table tells. */
  addresses: z.array(VmIpAddress),
})
/** A network interface. */
export type VmNic = z.infer<typeof VmNic>

/** A graphical display (VNC, SPICE ...). */
export const VmGraphics = z.object({
  type: z.string(),
  /** The port in use (running VMs), or fixed in the definition; absent when picked at start. */
  port: z.number().int().optional(),
  autoport: z.boolean(),
  listen: z.string().optional(),
})
/** A graphical display. */
export type VmGraphics = z.infer<typeof VmGraphics>

/** A serial port or a console. */
export const VmConsole = z.object({
  kind: z.enum(['serial', 'console']),
  /** pty, tcp, unix, file ... */
  type: z.string(),
  /** isa-serial, serial, virtio ... */
  targetType: z.string().optional(),
  port: z.number().int().optional(),
  /** The host end: a pty path, a socket path, host:port. */
  source: z.string().optional(),
})
/** A serial port or a console. */
export type VmConsole = z.infer<typeof VmConsole>

/** Everything the details view shows about one VM. */
export const VmDetails = z.object({
  hostId: z.string(),
  name: z.string(),
  uuid: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  state: VmState,
  persistent: z.boolean(),
  autostart: z.boolean(),
  /** kvm, qemu ... */
  domainType: z.string(),
  /** hvm, xen, linux, exe ... */
  osType: z.string(),
  arch: z.string(),
  machine: z.string(),
  firmware: VmFirmware,
  /** Direct kernel boot, when the VM boots a kernel file instead of its disks. */
  kernel: z
    .object({ path: z.string(), initrd: z.string().optional(), cmdline: z.string().optional() })
    .optional(),
  vcpus: z.object({ current: z.number().int(), max: z.number().int() }),
  /** Maximum memory, KiB. */
  memoryKiB: z.number(),
  /** Memory the guest has now (the balloon target), KiB. */
  currentMemoryKiB: z.number(),
  bootOrder: z.array(VmBootEntry),
  disks: z.array(VmDisk),
  nics: z.array(VmNic),
  graphics: z.array(VmGraphics),
  consoles: z.array(VmConsole),
})
/** Everything the details view shows about one VM. */
export type VmDetails = z.infer<typeof VmDetails>

const VmRef = z.object({ hostId: z.string().min(1).max(64), uuid: z.guid() })

/** One VM in depth: facts parsed from its XML, and the XML itself. */
export const vmDetails = service('vmDetails', {
  /** The VM's details from its live definition, with guest addresses when it runs. */
  get: method(VmRef, VmDetails),
  /** The domain XML (without secrets); `inactive` asks for the persistent definition. */
  xml: method(VmRef.extend({ inactive: z.boolean().optional() }), z.string()),
})
