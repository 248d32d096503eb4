"""What python3-libvirt sees on a host, as JSON, for the cross-check in crosscheck.int.test.ts.

Usage: libvirt-dump.py URI XML_FLAGS [NAME ...]
  URI        e.g. qemu:///system or test+unix:///ABS/PATH.xml (crosses the daemon's socket)
  XML_FLAGS  comma-separated virDomainGetXMLDesc flag values, e.g. 0,1,2
  NAME       domains whose XML to dump (for every flag)
Prints {"domains": [...], "stats": [...], "xml": {name: {flags: text}}}.
"""

import json
import sys

import libvirt

libvirt.registerErrorHandler(lambda _ctx, _err: None, None)


def main():
    uri, flags_arg, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    conn = libvirt.open(uri)
    domains = []
    for dom in conn.listAllDomains(0):
        state, reason = dom.state()
        domains.append({"name": dom.name(), "uuid": dom.UUIDString(), "id": dom.ID(),
                        "state": state, "reason": reason})
    stats = [{"name": dom.name(), "uuid": dom.UUIDString(), "values": values}
             for dom, values in conn.getAllDomainStats(0, 0)]
    xml = {}
    for name in names:
        dom = conn.lookupByName(name)
        xml[name] = {flags: dom.XMLDesc(int(flags)) for flags in flags_arg.split(",")}
    conn.close()
    json.dump({"domains": domains, "stats": stats, "xml": xml}, sys.stdout)


if __name__ == "__main__":
    main()
