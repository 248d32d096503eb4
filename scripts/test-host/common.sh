# shellcheck shell=bash
# Names, paths and small helpers shared by up.sh and down.sh. Sourced, never run.
#
# Everything the test host creates lives in STATE_DIR (plus the daemons' standard paths:
# /etc/libvirt, /var/log/libvirt, /run/libvirt and the session user's home).

export LC_ALL=C
umask 022 # the session user must read the kernel, initrd and scale file

STATE_DIR=${VIRTDECK_TEST_HOST_DIR:-/var/tmp/virtdeck-test-host}
CACHE_DIR=$STATE_DIR/cache      # kept by down.sh (unless --all): the guest kernel + initrd
RUN_DIR=$STATE_DIR/run          # markers ("up.sh started this daemon") and temp XML
LOG_DIR=$STATE_DIR/logs         # apt, sshd and daemon start-up output
SSH_DIR=$STATE_DIR/ssh          # mode 700: keys, known_hosts, sshd config/pid/log
GUEST_DIR=$STATE_DIR/guest      # serial log of the system guest
SHARE_DIR=$STATE_DIR/share      # exported to the system guest over virtiofs (tag "share")
POOL_DIR=$STATE_DIR/pool        # system storage pool
SESSION_DIR=$STATE_DIR/session  # owned by the session user: its pool and serial log
XDG_DIR=$STATE_DIR/xdg-tester   # XDG_RUNTIME_DIR of the session daemon (mode 700)
SCALE_FILE=$STATE_DIR/scale.xml # libvirt test-driver host with SCALE_COUNT domains
HOST_JSON=$STATE_DIR/host.json

TESTER=virtdeck-tester
SSH_PORT=2222

SYSTEM_URI=qemu:///system
SYSTEM_SOCK=/var/run/libvirt/libvirt-sock
SYSTEM_SOCK_RO=/var/run/libvirt/libvirt-sock-ro
SYSTEM_ADMIN_SOCK=/var/run/libvirt/libvirt-admin-sock
SYSTEM_LIBVIRTD_PID=/var/run/libvirtd.pid
SYSTEM_VIRTLOGD_PID=/var/run/virtlogd.pid
SESSION_SOCK=$XDG_DIR/libvirt/libvirt-sock
SESSION_URI="qemu+unix:///session?socket=$SESSION_SOCK"
SESSION_LIBVIRTD_PID=$XDG_DIR/libvirt/libvirtd.pid
SESSION_VIRTLOGD_PID=$XDG_DIR/libvirt/virtlogd.pid

DOM_VNC=virtdeck-vnc
DOM_LINUX=virtdeck-linux
NETWORK=virtdeck-isolated
BRIDGE=virbr-vdk
POOL=virtdeck-pool
VOLUME=virtdeck-vol.qcow2

# Marker files: which system daemons up.sh started (down.sh stops only those).
MARK_LIBVIRTD=$RUN_DIR/started-system-libvirtd
MARK_VIRTLOGD=$RUN_DIR/started-system-virtlogd

PROG=$(basename "$0" .sh)

log() { printf '[test-host %s] %s\n' "$PROG" "$*"; }
warn() { printf '[test-host %s] warning: %s\n' "$PROG" "$*" >&2; }
die() {
  printf '[test-host %s] error: %s\n' "$PROG" "$*" >&2
  exit 1
}

# Root is needed for the system daemon, users, sshd and apt. Exit code 2 = "wrong user".
require_root() {
  if [[ $EUID -ne 0 ]]; then
    printf '[test-host %s] root is needed: run  sudo scripts/test-host/%s.sh\n' "$PROG" "$PROG" >&2
    exit 2
  fi
}

# The state dir ends up inside libvirt URIs (?socket=...) and XML: keep it plain.
check_state_dir() {
  [[ $STATE_DIR =~ ^/[A-Za-z0-9._/-]+$ ]] ||
    die "VIRTDECK_TEST_HOST_DIR must be an absolute path of [A-Za-z0-9._/-]: '$STATE_DIR'"
}

# Microseconds since the epoch (bash 5's EPOCHREALTIME, C locale: "s.us").
now_us() { echo "${EPOCHREALTIME/./}"; }

# Seconds with two decimals since a now_us value.
since() {
  local d=$(($(now_us) - $1))
  printf '%d.%02d' $((d / 1000000)) $((d % 1000000 / 10000))
}

# step NAME FUNC [ARGS...]: run FUNC, then print "NAME: $DETAIL (x.xx s)".
# FUNC sets the global DETAIL to a word or two about what it did.
DETAIL=
step() {
  local name=$1 t0
  shift
  t0=$(now_us)
  DETAIL=done
  "$@"
  log "$(printf '%-16s %-50s %6s s' "$name" "$DETAIL" "$(since "$t0")")"
}

# Is PID still running? A zombie (exited, not yet reaped) counts as gone: on these machines
# PID 1 reaps orphans lazily, so `kill -0` says "alive" for seconds after a daemon exited.
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) } # the fields after "pid (comm) "
  [[ ${stat:0:1} != Z ]]
}

# Is the process named in a PID file running?
pid_alive() {
  local pid
  [[ -s $1 ]] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] && running "$pid"
}

# run_quiet CMD...: run CMD, show its output only when it fails (then exit).
run_quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    die "command failed: $*"
  fi
}

# virsh against one daemon: v URI ARGS...
v() {
  local uri=$1
  shift
  virsh -q -c "$uri" "$@"
}

# Does the daemon behind URI answer?
answers() { virsh -q -c "$1" uri >/dev/null 2>&1; }

# Home directory of the session user (empty if the user does not exist).
tester_home() { getent passwd "$TESTER" | cut -d: -f6; }

# as_tester CMD...: run CMD as the session user with a clean environment whose
# XDG_RUNTIME_DIR points at our runtime dir (every session client must share it).
as_tester() {
  local home
  home=$(tester_home)
  (cd / && runuser -u "$TESTER" -- env -i HOME="$home" USER="$TESTER" LOGNAME="$TESTER" \
    PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C XDG_RUNTIME_DIR="$XDG_DIR" "$@")
}

# stop_pid FILE NAME: SIGTERM the process in FILE, wait up to 10 s, then SIGKILL.
stop_pid() {
  local file=$1 name=$2 pid i
  pid_alive "$file" || return 0
  pid=$(<"$file")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    running "$pid" || return 0
    sleep 0.05
  done
  warn "$name (pid $pid) ignored SIGTERM for 10 s: sending SIGKILL"
  kill -9 "$pid" 2>/dev/null || true
}
