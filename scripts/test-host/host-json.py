"""Print host.json for Virtdeck's test host. Run by up.sh with HJ_* variables set.

The layout is documented in README.md next to this file; bump SCHEMA_VERSION when a field
changes meaning or disappears (adding fields keeps the version).
"""

import json
import os
import sys

SCHEMA_VERSION = 1


def env(name: str) -> str:
    value = os.environ.get("HJ_" + name)
    if value is None or value == "":
        sys.exit(f"host-json.py: HJ_{name} is not set")
    return value


def main() -> None:
    ssh_dir = env("SSH_DIR")
    port = int(env("SSH_PORT"))
    key = f"{ssh_dir}/id_ed25519"
    known_hosts = f"{ssh_dir}/known_hosts"
    wrapper = f"{ssh_dir}/ssh-wrap"
    scale_file = env("SCALE_FILE")
    scale_count = int(env("SCALE_COUNT"))
    home = env("TESTER_HOME")

    host = {
        "schemaVersion": SCHEMA_VERSION,
        "stateDir": env("STATE_DIR"),
        "cacheDir": env("CACHE_DIR"),
        "libvirtVersion": env("LIBVIRT"),
        "qemuVersion": env("QEMU"),
        "domainType": "qemu",
        "system": {
            "uri": env("SYSTEM_URI"),
            "socket": env("SYSTEM_SOCK"),
            "socketRo": env("SYSTEM_SOCK_RO"),
            "adminSocket": env("SYSTEM_ADMIN_SOCK"),
            "logFile": "/var/log/libvirt/libvirtd.log",
        },
        "session": {
            "uri": env("SESSION_URI"),
            "socket": env("SESSION_SOCK"),
            "xdgRuntimeDir": env("XDG_DIR"),
            "user": env("TESTER"),
            "uid": int(env("TESTER_UID")),
            "gid": int(env("TESTER_GID")),
            "home": home,
            "logFile": f"{home}/.cache/libvirt/libvirtd.log",
        },
        "testDriver": {
            "file": scale_file,
            "uri": f"test+unix://{scale_file}",
            "domainCount": scale_count,
            "runningCount": (scale_count + 1) // 2,
            "shutOffCount": scale_count // 2,
            "namePattern": "scale-%04d",
            "note": "odd numbers run, even numbers are shut off",
        },
        "ssh": {
            "host": "127.0.0.1",
            "port": port,
            "user": "root",
            "privateKeyPath": key,
            "publicKeyPath": f"{key}.pub",
            "knownHostsPath": known_hosts,
            "hostKeyPath": f"{ssh_dir}/hostkey",
            "hostPublicKeyPath": f"{ssh_dir}/hostkey.pub",
            "wrapperPath": wrapper,
            "pidFile": f"{ssh_dir}/sshd.pid",
            "logFile": f"{ssh_dir}/sshd.log",
            "uris": {
                "ssh": f"qemu+ssh://root@127.0.0.1:{port}/system?keyfile={key}"
                f"&command={wrapper}",
                "libssh2": f"qemu+libssh2://root@127.0.0.1:{port}/system?keyfile={key}"
                f"&known_hosts={known_hosts}",
            },
            "passwordUser": {
                "user": env("TESTER"),
                "passwordFile": f"{ssh_dir}/password",
                "uri": f"qemu+ssh://{env('TESTER')}@127.0.0.1:{port}/session"
                f"?socket={env('SESSION_SOCK')}",
            },
        },
        "guest": {
            "kernel": env("KERNEL"),
            "initrd": env("INITRD"),
            "kernelVersion": env("KVER"),
            "cmdline": env("CMDLINE"),
            "readyLine": "VIRTDECK-GUEST-READY",
            "shareMountedLine": "VIRTDECK-SHARE-MOUNTED",
            "prompt": "virtdeck# ",
            "serialLogPath": env("SERIAL_SYSTEM"),
            "sessionSerialLogPath": env("SERIAL_SESSION"),
            "shareDir": env("SHARE_DIR"),
            "shareTag": "share",
            "shareMountPoint": "/mnt",
            "shareProbeFile": env("SHARE_PROBE"),
            "shareProbeText": env("SHARE_PROBE_TEXT"),
        },
        "domains": {"vnc": env("DOM_VNC"), "linux": env("DOM_LINUX")},
        "network": {"name": env("NETWORK"), "bridge": env("BRIDGE"), "scopes": ["system"]},
        "pool": {
            "name": env("POOL"),
            "path": env("POOL_DIR"),
            "sessionPath": env("SESSION_POOL_DIR"),
        },
        "volume": {
            "name": env("VOLUME"),
            "path": f"{env('POOL_DIR')}/{env('VOLUME')}",
            "sessionPath": f"{env('SESSION_POOL_DIR')}/{env('VOLUME')}",
            "format": "qcow2",
            "capacityBytes": int(env("VOLUME_BYTES")),
        },
    }
    json.dump(host, sys.stdout, indent=2)
    sys.stdout.write("\n")


main()
