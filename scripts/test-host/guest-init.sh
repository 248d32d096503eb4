#!/bin/busybox sh
# shellcheck shell=sh
# /init of the Virtdeck test guest: PID 1 inside a busybox-static initramfs built by up.sh.
#
# What the host sees on the serial port (ttyS0, also written to the domain's <log file>):
#   VIRTDECK-SHARE-MOUNTED   virtiofs tag "share" is mounted on /mnt (or ...-SHARE-FAILED)
#   VIRTDECK-GUEST-READY     modules loaded, a shell is about to start on ttyS0
# then a root shell (busybox ash, echo ON, prompt "virtdeck# ") that restarts when it exits.
# The ACPI power button powers the guest off, so `virsh shutdown` and `virsh reboot` work.

/bin/busybox --install -s /bin
export PATH=/bin HOME=/root PS1='virtdeck# '

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
hostname virtdeck-guest

say() { echo "$*" >/dev/ttyS0; }

# Kernel modules, in dependency order (computed from modules.dep by up.sh).
while read -r m; do
  insmod "/lib/modules/$m.ko" || say "VIRTDECK-INSMOD-FAILED $m"
done </etc/modules.load

# A virtio device of type 26 (0x1a) is a virtio-fs device. Linux 6.1 does not show its tag in
# sysfs, so try the tag "share" a few times (the device may still be probing).
has_virtiofs() {
  for d in /sys/bus/virtio/devices/*/device; do
    [ "$(cat "$d" 2>/dev/null)" = 0x001a ] && return 0
  done
  return 1
}

mount_share() {
  i=0
  while [ $i -lt 30 ]; do
    if mount -t virtiofs share /mnt 2>/dev/null; then
      say VIRTDECK-SHARE-MOUNTED
      return 0
    fi
    i=$((i + 1))
    usleep 100000
  done
  say VIRTDECK-SHARE-FAILED
}

# Power off on the first event from any "Power Button" input device (24-byte input_event).
watch_power_button() {
  for dev in /sys/class/input/input*; do
    [ "$(cat "$dev/name" 2>/dev/null)" = 'Power Button' ] || continue
    for ev in "$dev"/event*; do
      [ -e "$ev" ] || continue
      (
        dd if="/dev/input/${ev##*/}" of=/dev/null bs=24 count=1 2>/dev/null
        say VIRTDECK-GUEST-POWER-BUTTON
        sync
        poweroff -f
      ) &
    done
  done
}

if has_virtiofs; then mount_share; fi
watch_power_button
say VIRTDECK-GUEST-READY

# cttyhack gives the shell ttyS0 as controlling terminal (job control, Ctrl-C work).
while true; do
  setsid cttyhack sh
done
