#!/usr/bin/env bash
# Bring up Virtdeck's test host on this machine (Debian 12, root, no systemd needed):
#   - the system libvirtd (qemu:///system) and a session libvirtd run by an unprivileged user,
#   - sshd on 127.0.0.1:2222 with its own keys (for qemu+ssh:// tests),
#   - a tiny Linux guest (Debian cloud kernel + busybox initramfs, cached),
#   - persistent domains, an isolated network, a storage pool with one volume,
#   - a libvirt test-driver host file with 1,000 domains,
# and write everything tests need to $STATE_DIR/host.json.
#
# Idempotent: a second run finds everything up and only re-checks it (about 3 s).
# Undo with scripts/test-host/down.sh. Usage: sudo scripts/test-host/up.sh
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
source "$HERE/common.sh"

# Debian packages the host needs. iptables must be there before libvirtd starts (networks);
# websockify is the VNC bench's anchor (npm run bench:consoles).
PACKAGES=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils
  openssh-server chromium xvfb xauth fonts-noto-cjk cpio kmod python3-libvirt busybox-static
  iptables sasl2-bin websockify)

# Guest kernel modules we want; their dependencies are added from modules.dep.
GUEST_MODULES=(virtio_pci virtio_console virtio_net virtio_blk virtio_balloon fuse virtiofs
  button evdev)
GUEST_CMDLINE='console=ttyS0 quiet'
GUEST_INIT=$HERE/guest-init.sh

SCALE_COUNT=1000
VOLUME_BYTES=$((16 * 1024 * 1024))
SHARE_PROBE=hello.txt
SHARE_PROBE_TEXT=virtdeck-share-ok

# ---------------------------------------------------------------------------------------------
# Small helpers

# write_file FILE [MODE] < content: replace FILE only when the content differs.
# Sets WROTE=1 when it wrote (callers use it to restart what reads the file).
WROTE=0
write_file() {
  local file=$1 mode=${2:-644} tmp="$1.tmp.$$"
  cat >"$tmp"
  if cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    WROTE=0
  else
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$file"
    WROTE=1
  fi
}

# wait_for SECONDS WHAT LOGFILE CMD...: poll CMD every 0.1 s; on timeout show LOGFILE's tail.
wait_for() {
  local secs=$1 what=$2 logfile=$3 i
  shift 3
  for ((i = 0; i < secs * 10; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  [[ -f $logfile ]] && tail -n 20 "$logfile" >&2
  die "$what did not answer within $secs s (log: $logfile)"
}

# The UUID of an existing object (domain, net, pool) or nothing. Redefining with the same
# UUID keeps define idempotent; without it libvirt refuses "already exists with uuid".
existing_uuid() {
  local uri=$1 kind=$2 name=$3
  case $kind in
    domain) v "$uri" domuuid "$name" 2>/dev/null || true ;;
    net) v "$uri" net-uuid "$name" 2>/dev/null || true ;;
    pool) v "$uri" pool-uuid "$name" 2>/dev/null || true ;;
  esac
}

# Does a `virsh *-list --name` output on stdin include NAME? (virsh pads names with spaces.)
names_include() { awk -v n="$1" '$1 == n { found = 1 } END { exit !found }'; }

uuid_element() { [[ -z $1 ]] || printf '  <uuid>%s</uuid>\n' "$1"; }

# ---------------------------------------------------------------------------------------------
# 1. Packages

missing_packages() {
  local installed p
  installed=$({ dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" \
    2>/dev/null || true; } | awk '$2 == "installed" { print $1 }')
  for p in "${PACKAGES[@]}"; do
    grep -qx "$p" <<<"$installed" || echo "$p"
  done
}

# Never two apt-gets at once: wait for any running apt-get/dpkg (up to 10 min).
wait_for_apt() {
  local i
  for ((i = 0; i < 600; i++)); do
    pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null || return 0
    ((i % 30)) || log "waiting for another apt-get/dpkg to finish"
    sleep 1
  done
  die "another apt-get/dpkg is still running after 10 min"
}

apt_get() {
  local logfile=$LOG_DIR/apt.log
  wait_for_apt
  if ! DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600 "$@" \
    >>"$logfile" 2>&1; then
    tail -n 30 "$logfile" >&2
    die "apt-get $1 failed (log: $logfile)"
  fi
}

ensure_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    DETAIL="all ${#PACKAGES[@]} present"
    return
  fi
  log "installing ${missing[*]} (log: $LOG_DIR/apt.log)"
  apt_get update
  apt_get install --no-install-recommends "${missing[@]}"
  DETAIL="installed ${#missing[@]}"
}

# ---------------------------------------------------------------------------------------------
# 2. System daemon (qemu:///system)

# The package's post-install does not create these without systemd; the QEMU driver needs them.
ensure_qemu_accounts() {
  local g
  for g in kvm libvirt libvirt-qemu; do
    getent group "$g" >/dev/null || groupadd -r "$g"
  done
  id -u libvirt-qemu >/dev/null 2>&1 ||
    useradd -r -g kvm -G libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
}

# QEMU runs as root with no relabelling, so guests may use files anywhere (our state dir).
ensure_qemu_conf() {
  [[ -e /etc/libvirt/qemu.conf ]] && return
  cat >/etc/libvirt/qemu.conf <<'EOF'
# Written by Virtdeck's scripts/test-host/up.sh (test host only): QEMU runs as root and
# libvirt does not relabel files, so guests can use kernels, logs and shares anywhere.
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
EOF
}

start_system_libvirtd() {
  LIBVIRT_LOG_OUTPUTS='3:file:/var/log/libvirt/libvirtd.log' libvirtd -d </dev/null >/dev/null 2>&1
  touch "$MARK_LIBVIRTD"
  wait_for 30 'system libvirtd' /var/log/libvirt/libvirtd.log answers "$SYSTEM_URI"
}

# Restart the system libvirtd (only one that left a PID file, i.e. a monolithic libvirtd).
restart_system_libvirtd() {
  pid_alive "$SYSTEM_LIBVIRTD_PID" || die "cannot restart libvirtd: no PID in $SYSTEM_LIBVIRTD_PID"
  log "restarting the system libvirtd ($1)"
  stop_pid "$SYSTEM_LIBVIRTD_PID" libvirtd
  start_system_libvirtd
}

ensure_system_daemon() {
  local started=()
  ensure_qemu_accounts
  ensure_qemu_conf
  mkdir -p /var/log/libvirt /var/run/libvirt /var/lib/libvirt
  # virtlogd first: without it a guest start fails ("virtlogd-sock").
  if ! pid_alive "$SYSTEM_VIRTLOGD_PID"; then
    LIBVIRT_LOG_OUTPUTS='3:file:/var/log/libvirt/virtlogd.log' virtlogd -d \
      </dev/null >/dev/null 2>&1
    touch "$MARK_VIRTLOGD"
    started+=(virtlogd)
  fi
  if ! answers "$SYSTEM_URI"; then
    if pid_alive "$SYSTEM_LIBVIRTD_PID"; then
      # Running but not answering yet (just started by someone else): only wait.
      wait_for 30 'system libvirtd' /var/log/libvirt/libvirtd.log answers "$SYSTEM_URI"
    else
      start_system_libvirtd
      started+=(libvirtd)
    fi
  fi
  DETAIL=${started[*]:+started ${started[*]}}
  DETAIL=${DETAIL:-already running}
}

# ---------------------------------------------------------------------------------------------
# 3. Session daemon (qemu:///session as $TESTER)

ensure_tester() {
  local gid
  id -u "$TESTER" >/dev/null 2>&1 ||
    useradd -m -s /bin/sh -c 'Virtdeck test session user' "$TESTER"
  gid=$(id -g "$TESTER")
  install -d -m 700 -o "$TESTER" -g "$gid" "$XDG_DIR"
  install -d -m 755 -o "$TESTER" -g "$gid" "$SESSION_DIR"
}

ensure_session_daemon() {
  local started=() home
  ensure_tester
  home=$(tester_home)
  # Start virtlogd explicitly so its PID is known (a guest start would spawn one with a timeout).
  if ! pid_alive "$SESSION_VIRTLOGD_PID"; then
    as_tester virtlogd -d </dev/null >/dev/null 2>&1
    started+=(virtlogd)
  fi
  if ! pid_alive "$SESSION_LIBVIRTD_PID"; then
    # --timeout 0: never exit when idle.
    as_tester libvirtd --daemon --timeout 0 </dev/null >/dev/null 2>&1
    started+=(libvirtd)
  fi
  wait_for 30 'session libvirtd' "$home/.cache/libvirt/libvirtd.log" answers "$SESSION_URI"
  DETAIL=${started[*]:+started ${started[*]}}
  DETAIL=${DETAIL:-already running}
}

# ---------------------------------------------------------------------------------------------
# 4. sshd on 127.0.0.1:$SSH_PORT, all files in $SSH_DIR (never ~/.ssh)

ensure_ssh_keys() {
  install -d -m 700 "$SSH_DIR"
  [[ -s $SSH_DIR/hostkey ]] ||
    ssh-keygen -q -t ed25519 -N '' -C virtdeck-test-host -f "$SSH_DIR/hostkey"
  [[ -s $SSH_DIR/id_ed25519 ]] ||
    ssh-keygen -q -t ed25519 -N '' -C virtdeck-test-client -f "$SSH_DIR/id_ed25519"
  write_file "$SSH_DIR/authorized_keys" 600 <"$SSH_DIR/id_ed25519.pub"
  echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$SSH_DIR/hostkey.pub")" |
    write_file "$SSH_DIR/known_hosts"
  # For qemu+ssh:// (libvirt ignores known_hosts= there): ...?command=$SSH_DIR/ssh-wrap
  write_file "$SSH_DIR/ssh-wrap" 755 <<EOF
#!/bin/sh
# OpenSSH client bound to the test host's known_hosts; libvirt's qemu+ssh:// command=.
exec /usr/bin/ssh -F none -o UserKnownHostsFile=$SSH_DIR/known_hosts \\
  -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes "\$@"
EOF
}

# Our own sshd_config, so the machine's /etc/ssh setup does not matter.
# StrictModes=no: the key files live outside any home directory.
write_sshd_config() {
  write_file "$SSH_DIR/sshd_config" <<EOF
# Written by Virtdeck's scripts/test-host/up.sh
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/hostkey
AuthorizedKeysFile $SSH_DIR/authorized_keys
PidFile $SSH_DIR/sshd.pid
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
X11Forwarding no
PrintMotd no
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
# Password prompts are tested with the session user: the only one allowed a password.
Match User $TESTER
  PasswordAuthentication yes
  KbdInteractiveAuthentication yes
EOF
}

# The session user gets a random password (kept in $SSH_DIR, mode 600) so SSH password and
# keyboard-interactive logins can be tested; it reaches its own session daemon's socket.
ensure_tester_password() {
  if [[ ! -s $SSH_DIR/password ]]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$SSH_DIR/password")
  fi
  echo "$TESTER:$(cat "$SSH_DIR/password")" | chpasswd
}

# A real login with the test key, checked against our known_hosts.
ssh_login_ok() {
  /usr/bin/ssh -F none -i "$SSH_DIR/id_ed25519" -o IdentitiesOnly=yes \
    -o UserKnownHostsFile="$SSH_DIR/known_hosts" -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=3 \
    -p "$SSH_PORT" root@127.0.0.1 true </dev/null >/dev/null 2>&1
}

start_sshd() {
  mkdir -p /run/sshd # privilege separation directory
  /usr/sbin/sshd -t -f "$SSH_DIR/sshd_config" || die "sshd rejects $SSH_DIR/sshd_config"
  /usr/sbin/sshd -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log" </dev/null
}

ensure_sshd() {
  local pidfile=$SSH_DIR/sshd.pid
  ensure_ssh_keys
  ensure_tester_password
  write_sshd_config
  if ! pid_alive "$pidfile"; then
    start_sshd
    DETAIL=started
  elif ((WROTE)); then
    stop_pid "$pidfile" sshd
    start_sshd
    DETAIL='restarted (config changed)'
  else
    DETAIL='already running'
  fi
  # A real login, not just an open port: proves keys, known_hosts and PAM.
  wait_for 10 "sshd on 127.0.0.1:$SSH_PORT" "$SSH_DIR/sshd.log" ssh_login_ok
}

# ---------------------------------------------------------------------------------------------
# 5. The tiny Linux guest: Debian cloud kernel + busybox initramfs, cached per kernel version

# e.g. linux-image-6.1.0-56-cloud-amd64 (the number changes with Debian updates).
kernel_package() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}

# kernel_package costs about 1 s here (apt's pkgcache.bin is disabled in these images), so
# remember its answer until apt's package lists change.
cached_kernel_package() {
  local memo=$CACHE_DIR/guest/kernel-package key pkg
  key=$(stat -c '%n %Y %s' /var/lib/apt/lists/*_Packages* 2>/dev/null | md5sum | cut -c1-32)
  if [[ -s $memo && $(head -n 1 "$memo") == "$key" ]]; then
    sed -n 2p "$memo"
    return
  fi
  pkg=$(kernel_package)
  [[ -z $pkg ]] || printf '%s\n%s\n' "$key" "$pkg" >"$memo"
  echo "$pkg"
}

# Print the .ko paths (relative to lib/modules/KVER) of GUEST_MODULES and their dependencies,
# each after its dependencies. $1 = modules.dep, $2 = modules.builtin.
resolve_modules() {
  local dep=$1 builtin=$2 want=() m
  for m in "${GUEST_MODULES[@]}"; do
    grep -q "/$m\.ko\$" "$builtin" || want+=("$m") # built into the kernel: nothing to load
  done
  awk -v want="${want[*]}" '
    function base(p) { sub(/^.*\//, "", p); sub(/\.ko(\..*)?$/, "", p); return p }
    function visit(m,   i, n, d) {
      if (m in done) return
      if (!(m in path)) { missing = missing " " m; return }
      done[m] = 1
      n = split(deps[m], d, " ")
      for (i = 1; i <= n; i++) visit(d[i])
      print path[m]
    }
    {
      file = $1; sub(/:$/, "", file)
      name = base(file); path[name] = file; deps[name] = ""
      for (i = 2; i <= NF; i++) deps[name] = deps[name] " " base($i)
    }
    END {
      n = split(want, w, " ")
      for (i = 1; i <= n; i++) visit(w[i])
      if (missing != "") { print "modules not found:" missing > "/dev/stderr"; exit 1 }
    }' "$dep"
}

# Download the kernel package into $1 (a fresh directory). Fails when offline.
# apt warns "Download is performed unsandboxed as root": harmless.
download_kernel() {
  local dir=$1 pkg=$2
  (cd "$dir" && apt-get download "$pkg" >>"$LOG_DIR/apt.log" 2>&1)
}

# Unpack the downloaded package in $1; keep only vmlinuz and the modules we load in $3.
unpack_kernel() {
  local tmp=$1 kver=$2 kdir=$3 moddir rel
  moddir=$tmp/tree/lib/modules/$kver
  rm -rf "$kdir.new"
  mkdir -p "$kdir.new/modules"
  dpkg -x "$tmp"/*.deb "$tmp/tree"
  depmod -b "$tmp/tree" "$kver"
  cp "$tmp/tree/boot/vmlinuz-$kver" "$kdir.new/vmlinuz"
  resolve_modules "$moddir/modules.dep" "$moddir/modules.builtin" >"$tmp/modules.order"
  while read -r rel; do
    [[ $rel == *.ko ]] || die "compressed kernel module not supported: $rel"
    cp "$moddir/$rel" "$kdir.new/modules/"
    basename "$rel" .ko >>"$kdir.new/modules.load"
  done <"$tmp/modules.order"
  rm -rf "$kdir"
  mv "$kdir.new" "$kdir"
}

# Inputs of the initrd: the init script, the module list and busybox.
initrd_stamp() { cat "$GUEST_INIT" "$1/modules.load" /bin/busybox | sha256sum | cut -c1-64; }

initrd_current() {
  [[ -s $1/initrd.gz && $(cat "$1/initrd.stamp" 2>/dev/null) == "$(initrd_stamp "$1")" ]]
}

build_initrd() {
  local kdir=$1 stage=$CACHE_DIR/stage.$$
  rm -rf "$stage"
  mkdir -p "$stage"/{bin,dev,etc,lib/modules,mnt,proc,root,sys,tmp}
  cp /bin/busybox "$stage/bin/busybox"
  install -m 755 "$GUEST_INIT" "$stage/init"
  cp "$kdir/modules.load" "$stage/etc/modules.load"
  cp "$kdir"/modules/*.ko "$stage/lib/modules/"
  # The kernel opens /dev/console for init's stdio before /init mounts devtmpfs.
  mknod -m 600 "$stage/dev/console" c 5 1
  mknod -m 666 "$stage/dev/null" c 1 3
  (cd "$stage" && find . | sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9 >"$kdir/initrd.gz.new"
  mv "$kdir/initrd.gz.new" "$kdir/initrd.gz"
  initrd_stamp "$kdir" >"$kdir/initrd.stamp"
  rm -rf "$stage"
}

# The newest kernel already in the cache (for offline runs), or nothing.
newest_cached_kernel() {
  find "$CACHE_DIR/guest" -mindepth 2 -maxdepth 2 -name modules.load -printf '%h\n' |
    sort -V | tail -n 1
}

# Sets GUEST_KVER, GUEST_KERNEL, GUEST_INITRD.
ensure_guest() {
  local pkg kver kdir tmp=$CACHE_DIR/tmp.$$ what=cached
  mkdir -p "$CACHE_DIR/guest"
  pkg=$(cached_kernel_package)
  if [[ -z $pkg ]]; then
    apt_get update # no package lists yet
    pkg=$(cached_kernel_package)
  fi
  [[ -n $pkg ]] || die 'apt-cache knows no linux-image-cloud-amd64'
  kver=${pkg#linux-image-}
  kdir=$CACHE_DIR/guest/$kver
  if [[ ! -s $kdir/vmlinuz || ! -s $kdir/modules.load ]]; then
    rm -rf "$tmp"
    mkdir -p "$tmp"
    if download_kernel "$tmp" "$pkg"; then
      unpack_kernel "$tmp" "$kver" "$kdir"
      what=fetched
    else
      kdir=$(newest_cached_kernel)
      [[ -n $kdir ]] || die "apt-get download $pkg failed (log: $LOG_DIR/apt.log)"
      kver=$(basename "$kdir")
      warn "apt-get download $pkg failed: using the cached kernel $kver"
    fi
    rm -rf "$tmp"
  fi
  DETAIL="kernel $kver $what"
  if ! initrd_current "$kdir"; then
    build_initrd "$kdir"
    DETAIL+=', initrd built'
  fi
  GUEST_KVER=$kver
  GUEST_KERNEL=$kdir/vmlinuz
  GUEST_INITRD=$kdir/initrd.gz
}

# ---------------------------------------------------------------------------------------------
# 6. Domains, network, pool and volume

# Serial log of the Linux guest: virtlogd writes it, so the session one is the tester's.
serial_log() { [[ $1 == system ]] && echo "$GUEST_DIR/$DOM_LINUX.serial.log" ||
  echo "$SESSION_DIR/$DOM_LINUX.serial.log"; }

vnc_domain_xml() { # $1 = scope (unused), $2 = uuid
  cat <<EOF
<domain type='qemu'>
  <name>$DOM_VNC</name>
$(uuid_element "$2")
  <title>Virtdeck test: diskless VM (SeaBIOS on VNC)</title>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <graphics type='vnc' port='-1' listen='127.0.0.1'/>
  </devices>
</domain>
EOF
}

# virtiofs needs shared memory and is refused by the session daemon (libvirt 9.0).
linux_domain_xml() { # $1 = system|session, $2 = uuid
  local memory_backing='' filesystem=''
  if [[ $1 == system ]]; then
    memory_backing="  <memoryBacking><source type='memfd'/><access mode='shared'/></memoryBacking>"
    filesystem="    <filesystem type='mount' accessmode='passthrough'>
      <driver type='virtiofs'/>
      <source dir='$SHARE_DIR'/>
      <target dir='share'/>
    </filesystem>"
  fi
  cat <<EOF
<domain type='qemu'>
  <name>$DOM_LINUX</name>
$(uuid_element "$2")
  <title>Virtdeck test: tiny Linux (busybox shell on serial)</title>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
$memory_backing
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>$GUEST_KERNEL</kernel>
    <initrd>$GUEST_INITRD</initrd>
    <cmdline>$GUEST_CMDLINE</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <serial type='pty'>
      <log file='$(serial_log "$1")' append='off'/>
      <target port='0'/>
    </serial>
    <console type='pty'><target type='serial' port='0'/></console>
$filesystem
    <graphics type='vnc' port='-1' listen='127.0.0.1'/>
  </devices>
</domain>
EOF
}

# Isolated: no <forward>, no <ip> (so no dnsmasq is needed).
network_xml() { # $1 = uuid
  cat <<EOF
<network>
  <name>$NETWORK</name>
$(uuid_element "$1")
  <bridge name='$BRIDGE' stp='off'/>
</network>
EOF
}

pool_xml() { # $1 = directory, $2 = uuid
  cat <<EOF
<pool type='dir'>
  <name>$POOL</name>
$(uuid_element "$2")
  <target><path>$1</path></target>
</pool>
EOF
}

# define_domain URI SCOPE XMLFUNC: (re)define a persistent domain from XMLFUNC's output.
define_domain() {
  local uri=$1 scope=$2 xmlfunc=$3 name uuid file
  name=$([[ $xmlfunc == vnc_domain_xml ]] && echo "$DOM_VNC" || echo "$DOM_LINUX")
  uuid=$(existing_uuid "$uri" domain "$name")
  file=$RUN_DIR/$scope-$name.xml
  "$xmlfunc" "$scope" "$uuid" | grep -v '^$' >"$file"
  run_quiet v "$uri" define "$file"
}

net_active() { v "$SYSTEM_URI" net-list --name | names_include "$NETWORK"; }

# The isolated network needs iptables rules. A libvirtd started before iptables was
# installed fails with "No chain/target/match by that name" until it restarts.
ensure_network() {
  local uuid file=$RUN_DIR/system-network.xml out
  uuid=$(existing_uuid "$SYSTEM_URI" net "$NETWORK")
  network_xml "$uuid" | grep -v '^$' >"$file"
  run_quiet v "$SYSTEM_URI" net-define "$file"
  net_active && return
  if ! out=$(v "$SYSTEM_URI" net-start "$NETWORK" 2>&1); then
    if [[ $out == *iptables* || $out == *chain* ]]; then
      restart_system_libvirtd 'its firewall chains are missing'
      net_active || run_quiet v "$SYSTEM_URI" net-start "$NETWORK"
    else
      printf '%s\n' "$out" >&2
      die "net-start $NETWORK failed"
    fi
  fi
}

pool_active() { v "$1" pool-list --name | names_include "$POOL"; }

# ensure_pool URI SCOPE DIR: a started dir pool at DIR with one qcow2 volume.
ensure_pool() {
  local uri=$1 dir=$3 uuid file=$RUN_DIR/$2-pool.xml
  uuid=$(existing_uuid "$uri" pool "$POOL")
  pool_xml "$dir" "$uuid" | grep -v '^$' >"$file"
  # A started pool whose directory vanished (state dir wiped by hand): stop it first.
  if pool_active "$uri" && [[ ! -d $dir ]]; then run_quiet v "$uri" pool-destroy "$POOL"; fi
  run_quiet v "$uri" pool-define "$file"
  if ! pool_active "$uri"; then
    run_quiet v "$uri" pool-build "$POOL"
    run_quiet v "$uri" pool-start "$POOL"
  fi
  v "$uri" vol-info --pool "$POOL" "$VOLUME" >/dev/null 2>&1 ||
    run_quiet v "$uri" vol-create-as "$POOL" "$VOLUME" "$VOLUME_BYTES" --format qcow2
}

ensure_share() {
  mkdir -p "$SHARE_DIR"
  echo "$SHARE_PROBE_TEXT" | write_file "$SHARE_DIR/$SHARE_PROBE"
}

ensure_system_objects() {
  mkdir -p "$GUEST_DIR"
  ensure_share
  define_domain "$SYSTEM_URI" system vnc_domain_xml
  define_domain "$SYSTEM_URI" system linux_domain_xml
  ensure_network
  ensure_pool "$SYSTEM_URI" system "$POOL_DIR"
  DETAIL="2 domains, network, pool + volume"
}

ensure_session_objects() {
  define_domain "$SESSION_URI" session vnc_domain_xml
  define_domain "$SESSION_URI" session linux_domain_xml
  ensure_pool "$SESSION_URI" session "$SESSION_DIR/pool"
  DETAIL="2 domains, pool + volume"
}

# ---------------------------------------------------------------------------------------------
# 7. Test-driver host file: SCALE_COUNT domains, odd ones running, even ones shut off

scale_xml() {
  local i name
  echo '<node>'
  echo "  <!-- Virtdeck test host: $SCALE_COUNT domains for libvirt's test driver. Open it"
  echo "       through the daemon: test+unix://$SCALE_FILE -->"
  for ((i = 1; i <= SCALE_COUNT; i++)); do
    printf -v name 'scale-%04d' "$i"
    printf "  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
    printf '    <name>%s</name>\n    <uuid>5ca1e000-0000-4000-8000-%012d</uuid>\n' "$name" "$i"
    printf "    <memory unit='MiB'>%d</memory>\n    <vcpu>%d</vcpu>\n" $((128 * (1 + i % 4))) \
      $((1 + i % 2))
    printf "    <os><type arch='x86_64'>hvm</type></os>\n"
    ((i % 2)) || printf '    <test:runstate>5</test:runstate>\n' # 5 = shut off
    printf '  </domain>\n'
  done
  echo '</node>'
}

ensure_scale_file() {
  scale_xml | write_file "$SCALE_FILE"
  # Prove the daemon parses it (it re-reads the file at every open).
  local n
  n=$(v "test+unix://$SCALE_FILE" list --all --name | grep -c . || true)
  ((n == SCALE_COUNT)) || die "test driver lists $n domains from $SCALE_FILE, not $SCALE_COUNT"
  DETAIL="$n domains$( ((WROTE)) && echo ', written' || echo ', unchanged')"
}

# ---------------------------------------------------------------------------------------------
# 8. host.json

# "Running against daemon: 9.0.0" / "Running hypervisor: QEMU 7.2.19"
version_field() { v "$SYSTEM_URI" version --daemon | awk -F': *' -v k="$1" '$1 == k { print $2 }'; }

write_host_json() {
  local home
  home=$(tester_home)
  HJ_STATE_DIR=$STATE_DIR HJ_CACHE_DIR=$CACHE_DIR \
    HJ_LIBVIRT=$(version_field 'Running against daemon') \
    HJ_QEMU=$(version_field 'Running hypervisor' | sed 's/^QEMU //') \
    HJ_SYSTEM_URI=$SYSTEM_URI HJ_SYSTEM_SOCK=$SYSTEM_SOCK HJ_SYSTEM_SOCK_RO=$SYSTEM_SOCK_RO \
    HJ_SYSTEM_ADMIN_SOCK=$SYSTEM_ADMIN_SOCK \
    HJ_SESSION_URI=$SESSION_URI HJ_SESSION_SOCK=$SESSION_SOCK HJ_XDG_DIR=$XDG_DIR \
    HJ_TESTER=$TESTER HJ_TESTER_UID=$(id -u "$TESTER") HJ_TESTER_GID=$(id -g "$TESTER") \
    HJ_TESTER_HOME=$home \
    HJ_SCALE_FILE=$SCALE_FILE HJ_SCALE_COUNT=$SCALE_COUNT \
    HJ_SSH_DIR=$SSH_DIR HJ_SSH_PORT=$SSH_PORT \
    HJ_KVER=$GUEST_KVER HJ_KERNEL=$GUEST_KERNEL HJ_INITRD=$GUEST_INITRD \
    HJ_CMDLINE=$GUEST_CMDLINE HJ_SERIAL_SYSTEM=$(serial_log system) \
    HJ_SERIAL_SESSION=$(serial_log session) HJ_SHARE_DIR=$SHARE_DIR \
    HJ_SHARE_PROBE=$SHARE_PROBE HJ_SHARE_PROBE_TEXT=$SHARE_PROBE_TEXT \
    HJ_DOM_VNC=$DOM_VNC HJ_DOM_LINUX=$DOM_LINUX HJ_NETWORK=$NETWORK HJ_BRIDGE=$BRIDGE \
    HJ_POOL=$POOL HJ_POOL_DIR=$POOL_DIR HJ_SESSION_POOL_DIR=$SESSION_DIR/pool \
    HJ_VOLUME=$VOLUME HJ_VOLUME_BYTES=$VOLUME_BYTES \
    /usr/bin/python3 "$HERE/host-json.py" >"$RUN_DIR/host.json"
  # Only a complete file replaces host.json (set -e stops above if python fails).
  write_file "$HOST_JSON" <"$RUN_DIR/host.json"
  DETAIL=$( ((WROTE)) && echo written || echo unchanged)
}

# ---------------------------------------------------------------------------------------------

main() {
  require_root
  check_state_dir
  local t0
  t0=$(now_us)
  mkdir -p "$STATE_DIR" "$CACHE_DIR" "$RUN_DIR" "$LOG_DIR"
  chmod 755 "$STATE_DIR" # the session user reads the kernel and scale file below it
  log "state dir $STATE_DIR"
  step packages ensure_packages
  step 'system daemon' ensure_system_daemon
  step 'session daemon' ensure_session_daemon
  step sshd ensure_sshd
  step guest ensure_guest
  step 'system objects' ensure_system_objects
  step 'session objects' ensure_session_objects
  step 'scale file' ensure_scale_file
  step host.json write_host_json
  log "up in $(since "$t0") s; host description:"
  echo "$HOST_JSON"
}

main "$@"
