"""python3-libvirt anchors of `npm run bench:app` (run by anchors.ts with /usr/bin/python3).

    py_stats.py URI GROUPS FLAGS WARMUPS RUNS BATCH [DOMAIN ...]

Opens URI once, then times RUNS runs (after WARMUPS untimed ones) of BATCH calls of
getAllDomainStats(GROUPS, FLAGS) (or, with DOMAIN names, domainListGetStats of those
domains), each followed by the walk a stats tick does: per domain,
the CPU time, balloon, and the byte counters of every disk and interface, summed as the app
does. Prints one JSON object: per run, wall ms and process CPU ms per call, and the domain
count.
"""

import json
import sys
import time

import libvirt

libvirt.registerErrorHandler(lambda _ctx, _err: None, None)  # no stderr noise


def walk(stats):
    out = []
    for dom, v in stats:
        rd = wr = rx = tx = 0
        for i in range(v.get("block.count", 0)):
            rd += v.get("block.%d.rd.bytes" % i, 0)
            wr += v.get("block.%d.wr.bytes" % i, 0)
        for i in range(v.get("net.count", 0)):
            rx += v.get("net.%d.rx.bytes" % i, 0)
            tx += v.get("net.%d.tx.bytes" % i, 0)
        out.append(
            (dom.UUIDString(), v.get("cpu.time", 0), v.get("balloon.current", 0),
             v.get("balloon.rss", 0), v.get("vcpu.current", 1), rd, wr, rx, tx)
        )
    return out


def main():
    uri, groups, flags, warmups, runs, batch = sys.argv[1:7]
    groups, flags = int(groups), int(flags)
    warmups, runs, batch = int(warmups), int(runs), int(batch)
    conn = libvirt.open(uri)
    try:
        doms = [conn.lookupByName(name) for name in sys.argv[7:]]
        if doms:
            def stats():
                return conn.domainListGetStats(doms, groups, flags)
        else:
            def stats():
                return conn.getAllDomainStats(groups, flags)
        domains = 0
        for _ in range(warmups):
            domains = len(walk(stats()))
        wall, cpu = [], []
        for _ in range(runs):
            w0, c0 = time.perf_counter(), time.process_time()
            for _ in range(batch):
                domains = len(walk(stats()))
            wall.append((time.perf_counter() - w0) * 1000.0 / batch)
            cpu.append((time.process_time() - c0) * 1000.0 / batch)
        print(json.dumps({"wall": wall, "cpu": cpu, "domains": domains,
                          "version": libvirt.getVersion()}))
    finally:
        conn.close()


if __name__ == "__main__":
    main()
