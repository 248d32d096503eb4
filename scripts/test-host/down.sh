#!/usr/bin/env bash
# Tear down what scripts/test-host/up.sh built:
#   - destroy and undefine our domains, network and pool on both daemons,
#   - stop sshd and the session daemons, and the system libvirtd/virtlogd if up.sh started them,
#   - remove the state dir except cache/ (the guest kernel + initrd); --all removes that too.
# The session user and /etc/libvirt/qemu.conf stay (harmless, and up.sh reuses them).
# Usage: sudo scripts/test-host/down.sh [--all]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
source "$HERE/common.sh"

usage() {
  echo "usage: $0 [--all]   (--all also removes the cached guest kernel and initrd)" >&2
  exit 64
}

# Ignore failures: down.sh must get as far as it can.
quiet() { "$@" >/dev/null 2>&1 || true; }

remove_domains() { # URI
  local name
  for name in "$DOM_LINUX" "$DOM_VNC"; do
    v "$1" dominfo "$name" >/dev/null 2>&1 || continue
    quiet v "$1" destroy "$name"
    quiet v "$1" undefine "$name" --managed-save --snapshots-metadata --checkpoints-metadata
  done
}

remove_pool() { # URI
  v "$1" pool-info "$POOL" >/dev/null 2>&1 || return 0
  quiet v "$1" vol-delete --pool "$POOL" "$VOLUME"
  quiet v "$1" pool-destroy "$POOL"
  quiet v "$1" pool-undefine "$POOL"
}

remove_network() {
  v "$SYSTEM_URI" net-info "$NETWORK" >/dev/null 2>&1 || return 0
  quiet v "$SYSTEM_URI" net-destroy "$NETWORK"
  quiet v "$SYSTEM_URI" net-undefine "$NETWORK"
}

# A daemon that is down keeps its persistent objects as XML files: remove those directly.
remove_config_files() { # CONFIG_DIR (/etc/libvirt or ~/.config/libvirt)
  local dir=$1
  rm -f "$dir/qemu/$DOM_LINUX.xml" "$dir/qemu/$DOM_VNC.xml" \
    "$dir/qemu/networks/$NETWORK.xml" "$dir/qemu/networks/autostart/$NETWORK.xml" \
    "$dir/storage/$POOL.xml" "$dir/storage/autostart/$POOL.xml"
}

teardown_system_objects() {
  if answers "$SYSTEM_URI"; then
    remove_domains "$SYSTEM_URI"
    remove_network
    remove_pool "$SYSTEM_URI"
    DETAIL='domains, network, pool removed'
  else
    remove_config_files /etc/libvirt
    DETAIL='daemon down: config files removed'
  fi
}

teardown_session() {
  local home
  home=$(tester_home)
  if [[ -z $home ]]; then
    DETAIL="no user $TESTER"
    return
  fi
  if answers "$SESSION_URI"; then
    remove_domains "$SESSION_URI"
    remove_pool "$SESSION_URI"
    DETAIL='domains, pool removed; '
  else
    remove_config_files "$home/.config/libvirt"
    DETAIL='daemon down: config files removed; '
  fi
  stop_pid "$SESSION_LIBVIRTD_PID" 'session libvirtd'
  stop_pid "$SESSION_VIRTLOGD_PID" 'session virtlogd'
  DETAIL+='daemons stopped'
}

stop_sshd() {
  stop_pid "$SSH_DIR/sshd.pid" sshd
  DETAIL=stopped
}

# Only the daemons whose marker says up.sh started them.
stop_system_daemons() {
  local stopped=()
  if [[ -e $MARK_LIBVIRTD ]]; then
    stop_pid "$SYSTEM_LIBVIRTD_PID" libvirtd
    stopped+=(libvirtd)
  fi
  if [[ -e $MARK_VIRTLOGD ]]; then
    stop_pid "$SYSTEM_VIRTLOGD_PID" virtlogd
    stopped+=(virtlogd)
  fi
  DETAIL=${stopped[*]:+stopped ${stopped[*]}}
  DETAIL=${DETAIL:-'none started by up.sh (left alone)'}
}

remove_state() { # ALL (0|1)
  local entry
  if (($1)); then
    rm -rf "$STATE_DIR"
    DETAIL="removed $STATE_DIR"
    return
  fi
  for entry in "$STATE_DIR"/* "$STATE_DIR"/.[!.]*; do
    if [[ -e $entry && $entry != "$CACHE_DIR" ]]; then rm -rf "$entry"; fi
  done
  DETAIL='removed all but cache/'
}

main() {
  local all=0
  case ${1:-} in
    '') ;;
    --all) all=1 ;;
    *) usage ;;
  esac
  require_root
  check_state_dir
  local t0
  t0=$(now_us)
  if [[ ! -d $STATE_DIR ]]; then
    log "nothing to do: $STATE_DIR does not exist"
    return
  fi
  step 'system objects' teardown_system_objects
  step session teardown_session
  step sshd stop_sshd
  step 'system daemons' stop_system_daemons
  step 'state dir' remove_state "$all"
  log "down in $(since "$t0") s"
}

main "$@"
