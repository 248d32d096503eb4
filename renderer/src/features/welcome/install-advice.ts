/** Shell commands that get a working libvirt on each platform (none on Windows). */
export const INSTALL_COMMANDS: Record<string, string[]> = {
  linux: ['sudo apt install qemu-kvm libvirt-daemon-system', 'sudo adduser $USER libvirt'],
  darwin: ['brew install libvirt qemu', 'brew services start libvirt'],
}

/** The command that fixes a local socket's problem. */
export const FIX_COMMANDS = {
  'permission-denied': 'sudo adduser $USER libvirt',
  'not-answering': 'sudo systemctl start libvirtd',
} as const
