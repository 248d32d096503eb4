"""python3-libvirt side of `npm run bench:native`, driven by native/bench/python.ts.

Runs as a server on stdin/stdout, one JSON object per line, so that the bench can
alternate our runs with python's (both see the same load on a shared machine):
  {"cmd": "setup", "scenario": S, "uri": U}  -> {"ok": true}      (untimed: connections)
  {"cmd": "run"}                             -> {"value": v, ...}  (one timed run)
  {"cmd": "teardown"}                        -> {"ok": true}
  {"cmd": "version"}                         -> {"value": libvirt.getVersion()}
Errors come back as {"error": text}. Units per scenario: see each class.
"""

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import libvirt

libvirt.registerErrorHandler(lambda _ctx, _err: None, None)  # no stderr noise

OPEN_CLOSE_BATCH = 10
CALLS = 1000
THREADS = 8


def ms_since(start):
    return (time.perf_counter() - start) * 1000.0


class OpenClose:
    """ms per open + auth + close (mean of a batch of OPEN_CLOSE_BATCH)."""

    def __init__(self, uri):
        self.uri = uri

    def run(self):
        start = time.perf_counter()
        for _ in range(OPEN_CLOSE_BATCH):
            libvirt.open(self.uri).close()
        return {"value": ms_since(start) / OPEN_CLOSE_BATCH}

    def close(self):
        pass


class Sequential:
    """us per call over CALLS sequential calls of `method`."""

    def __init__(self, uri, method):
        self.conn = libvirt.open(uri)
        self.call = getattr(self.conn, method)

    def run(self):
        call = self.call
        start = time.perf_counter()
        for _ in range(CALLS):
            call()
        return {"value": ms_since(start) * 1000.0 / CALLS}

    def close(self):
        self.conn.close()


class Threaded:
    """ms for CALLS getLibVersion calls spread over THREADS threads on one connection."""

    def __init__(self, uri):
        self.conn = libvirt.open(uri)
        self.pool = ThreadPoolExecutor(THREADS)

    def worker(self):
        for _ in range(CALLS // THREADS):
            self.conn.getLibVersion()

    def run(self):
        start = time.perf_counter()
        futures = [self.pool.submit(self.worker) for _ in range(THREADS)]
        for f in futures:
            f.result()
        return {"value": ms_since(start)}

    def close(self):
        self.pool.shutdown()
        self.conn.close()


class ListStatesLoop:
    """ms for listAllDomains() plus dom.state() for each domain."""

    def __init__(self, uri):
        self.conn = libvirt.open(uri)

    def run(self):
        start = time.perf_counter()
        doms = self.conn.listAllDomains(0)
        states = [(d.name(), d.UUIDString(), d.state()) for d in doms]
        return {"value": ms_since(start), "domains": len(states)}

    def close(self):
        self.conn.close()


class ListStatesBulk(ListStatesLoop):
    """ms for listAllDomains() plus one getAllDomainStats(STATE), joined by UUID."""

    def run(self):
        start = time.perf_counter()
        doms = self.conn.listAllDomains(0)
        stats = self.conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE, 0)
        by_uuid = {d.UUIDString(): s for d, s in stats}
        joined = [(d.name(), by_uuid.get(d.UUIDString())) for d in doms]
        return {"value": ms_since(start), "domains": len(joined)}


class BulkStats(ListStatesLoop):
    """ms for getAllDomainStats(all groups) plus a walk over every value (`call`, `walk`)."""

    def run(self):
        start = time.perf_counter()
        stats = self.conn.getAllDomainStats(0, 0)
        mid = time.perf_counter()
        total = 0
        for dom, values in stats:
            dom.name()
            for v in values.values():
                if isinstance(v, (int, float)):
                    total += v
        call, walk = (mid - start) * 1000.0, ms_since(mid)
        return {"value": call + walk, "call": call, "walk": walk, "domains": len(stats)}


SCENARIOS = {
    "open_close": OpenClose,
    "seq_libversion": lambda uri: Sequential(uri, "getLibVersion"),
    "seq_hostname": lambda uri: Sequential(uri, "getHostname"),
    "threaded": Threaded,
    "list_states_loop": ListStatesLoop,
    "list_states_bulk": ListStatesBulk,
    "bulk_stats": BulkStats,
}


def main():
    current = None
    for line in sys.stdin:
        msg = json.loads(line)
        try:
            cmd = msg["cmd"]
            if cmd == "setup":
                current = SCENARIOS[msg["scenario"]](msg["uri"])
                out = {"ok": True}
            elif cmd == "run":
                out = current.run()
            elif cmd == "teardown":
                current.close()
                current = None
                out = {"ok": True}
            elif cmd == "version":
                out = {"value": libvirt.getVersion()}
            else:
                out = {"error": "unknown command " + cmd}
        except Exception as err:  # reported to the bench, which stops
            out = {"error": repr(err)}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
