#!/usr/bin/env python3
"""What one PHP-FPM request costs, counted rather than timed (a benchmark
tool, not a test: `make bench-servers` runs it; figures in BENCHMARKS.md).

The pools of bench_servers.py at the production setting (ffi.enable=preload,
ffi.preload, opcache.preload; the documented pool, and the kit's with PHP's
form parser on for notify_native_post), one worker, PHP-FPM under valgrind's
callgrind with a dump at the start of every request. For each endpoint of
bench/php: warm-up requests, then N requests with valid
OfflineNotify bodies, each counted on its own. Printed per request (means):
the instructions the worker executed in user space (from one request's start
to the next one's: start-up, the script, shutdown), those inside libcmpay
and inside PHP's FFI extension + libffi, and how much distinct code the
request ran through, in 64-byte lines (in all, in libcmpay, in FFI + libffi)
and 4 KiB pages; --keep DIR keeps the dumps for callgrind_annotate (build
the library with CARGO_PROFILE_RELEASE_STRIP=none for its function names). A worker's code goes
cold between requests (nginx, the kernel and the other workers run in
between), so the distinct code a request touches weighs as much as its
instruction count.

With --wrk (3 rounds by default) it first measures the PHP-FPM workers' CPU
time per request under wrk, as bench_servers.py loads the pool. With
--phases (2,000 requests by default) it then times the steps of
the library's endpoint and of the native one inside the request
(bench/php/phases.php), the first time in a request and again right after: what
the cold code costs.

    CMPAY_LIB=target/release/libcmpay.so python3 bench/servers/profile_php_fpm.py [--phases N] [--requests N] [ENDPOINT ...]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Set, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_servers import CONNECTIONS, DURATION, FIELDS_POOL, KEY, KIT_POOL, LUA, MERCHANT_ID, bodies, php_servers  # noqa: E402
from servers import REPO, Deployment, PhpFpmNginx, give_to_worker  # noqa: E402

ENDPOINTS = ("empty", "load_only", "notify_native", "notify_native_post", "notify_ffi_floor", "notify_lib")
# Served by the kit's pool (PHP's form parser on: bench_servers.KIT_POOL), the rest by the documented one.
KIT_ENDPOINTS = ("notify_native_post",)


def is_ffi(obj: str) -> bool:
    """PHP's FFI extension or libffi."""
    return obj.endswith("/ffi.so") or "libffi.so" in obj


def object_costs(path: Path) -> Tuple[Counter, Dict[str, Set[int]]]:
    """Self cost (Ir) and the set of executed 64-byte code lines per object
    file, from a callgrind dump written with --dump-instr=yes."""
    names: Dict[str, str] = {}
    ob, addr, skip = "?", 0, False
    cost: Counter = Counter()
    lines: Dict[str, Set[int]] = defaultdict(set)
    columns = 1
    for raw in path.open(errors="replace"):
        line = raw.rstrip("\n")
        if line.startswith("positions:"):
            columns = len(line.split()) - 1
            continue
        if not line:
            continue
        if line[0].isdigit() or line[0] in "+-*":
            parts = line.split()
            a = parts[0]
            if a.startswith("0x"):
                addr = int(a, 16)
            elif a[0] in "+-":
                delta = int(a[1:], 16) if a[1:].startswith("0x") else int(a[1:])
                addr += delta if a[0] == "+" else -delta
            if skip:  # the inclusive cost of a call, counted in the callee
                skip = False
                continue
            if len(parts) > columns and int(parts[columns]):
                cost[ob] += int(parts[columns])
                lines[ob].add(addr >> 6)
            continue
        key, _, value = line.partition("=")
        if key in ("ob", "cob"):
            m = re.match(r"\((\d+)\)(?: (.*))?", value)
            if m and m.group(2) is not None:
                names[m.group(1)] = m.group(2)
            if key == "ob":
                ob = names.get(m.group(1), "?") if m else value
        elif key == "calls":
            skip = True
    return cost, lines


ENV = {"CMPAY_MERCHANT_ID": MERCHANT_ID, "CMPAY_SIGN_KEY": KEY, "CMPAY_DB_DSN": "sqlite::memory:",
       "CMPAY_ENDPOINT": "http://127.0.0.1:9/"}
LIB_STEPS = ("require autoload.php", "Library::ffi() (the FFI scope)", "Merchant::md5", "parseNotification", "ack",
             "the two destructors (frees)")
NATIVE_STEPS = ("split, urldecode, join (native)", "2 x hash_hmac + hash_equals (native)")


def phases(requests: int) -> None:
    """bench/php/phases.php, timed inside the request (no valgrind): each step
    the first time in a request, and again right after in the same request."""
    bench = Deployment.get().bench / "php"
    server = PhpFpmNginx("preload", ENV, workers=1, nginx_conf=REPO / "bench/php/nginx-bench.conf",
                         BENCH=bench, preload=bench / "preload.php", pool=FIELDS_POOL)
    runs: Dict[str, List[List[List[int]]]] = {"lib": [], "native": []}
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        sample = bodies()
        for i in range(requests + 50):
            for which in ("native", "lib"):
                conn.request("POST", "/bench/phases?" + which, body=sample[i % len(sample)],
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
                r = conn.getresponse()
                data = r.read()
                assert r.status == 200 and data.startswith(b"[["), (which, data, server.logs())
                if i >= 50:  # past the worker's first requests
                    runs[which].append(json.loads(data))
    finally:
        server.stop()
    print("PHP-FPM preload setting, one worker, %d requests each; medians, µs, timed in the request:" % requests)
    print("| step | first time in the request | again, same request |")
    print("|---|---|---|")
    for which, steps in (("lib", LIB_STEPS), ("native", NATIVE_STEPS)):
        for k, step in enumerate(steps):
            first = statistics.median(r[0][k] for r in runs[which]) / 1000
            again = statistics.median(r[1][k] for r in runs[which]) / 1000
            print("| %s | %.2f | %s |" % (step, first, "%.2f" % again if k or which == "native" else "-"))
        total = [statistics.median(sum(r[p]) for r in runs[which]) / 1000 for p in (0, 1)]
        print("| **%s, all steps** | **%.2f** | %.2f |" % (which, total[0], total[1]))


def fpm_cpu_ns(server: PhpFpmNginx) -> int:
    """CPU time the pool's PHP-FPM workers have used so far (/proc/PID/schedstat)."""
    total = 0
    for pid, (comm, _) in server.workers().items():
        if comm != "nginx":
            try:
                total += int(Path("/proc/%d/schedstat" % pid).read_text().split()[0])
            except OSError:
                pass
    return total


def cpu_under_wrk(rounds: int) -> None:
    """The PHP-FPM workers' CPU time per request under wrk, as bench_servers.py
    runs it (4 workers a pool, the endpoints taking turns): on a machine shared with
    other jobs, a figure that moves much less than requests/s."""
    pools = php_servers("preload", ENV, workers=4)
    runs: Dict[str, List[Tuple[float, float]]] = {name: [] for name in ENDPOINTS}
    load = [Path("/proc/loadavg").read_text().split()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        bodies_file, lua = Path(tmp) / "bodies.txt", Path(tmp) / "bodies.lua"
        bodies_file.write_text("\n".join(bodies()) + "\n")
        lua.write_text(LUA)
        try:
            for _ in range(rounds):
                for name in ENDPOINTS:
                    server = pools[name in KIT_ENDPOINTS]
                    before = fpm_cpu_ns(server)
                    out = subprocess.run(["wrk", "-t2", "-c" + CONNECTIONS, "-d" + DURATION, "-s", str(lua), server.url + "bench/" + name],
                                         env=dict(os.environ, CMPAY_BENCH_BODIES=str(bodies_file)), check=True,
                                         stdout=subprocess.PIPE, text=True).stdout
                    assert "Non-2xx" not in out and "Socket errors" not in out, out
                    n = int(re.search(r"(\d+) requests in", out).group(1))
                    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
                    runs[name].append((rps, (fpm_cpu_ns(server) - before) / n / 1000))
        finally:
            for server in pools:
                server.stop()
    load.append(Path("/proc/loadavg").read_text().split()[0])
    print("PHP-FPM preload setting, 4 workers, wrk -t2 -c%s -d%s, %d rounds (medians), load average %s -> %s:" % (
        CONNECTIONS, DURATION, rounds, load[0], load[1]))
    print("| endpoint | requests/s | PHP-FPM workers' CPU per request |")
    print("|---|---|---|")
    for name in ENDPOINTS:
        print("| %s | %.0f | %.1f µs |" % (name, statistics.median(r for r, _ in runs[name]), statistics.median(c for _, c in runs[name])))


def callgrind(endpoints: List[str], pool: Tuple[str, ...], requests: int, keep: str) -> Dict[str, Tuple[Counter, int, int, int, int]]:
    """One worker of a pool under callgrind, ``requests`` requests at each endpoint:
    per endpoint (costs per object, 64 B lines, libcmpay lines, FFI lines, pages), summed."""
    out = Path(tempfile.mkdtemp(prefix="cmpay-callgrind-"))
    out.chmod(0o755)
    give_to_worker(out)  # the worker writes its own dumps
    # A dump before each request starts: request k's whole cost (start-up,
    # script, shutdown) is dump k + 2 (dump 1 is the worker's own start).
    valgrind = ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--dump-before=php_request_startup",
                "--callgrind-out-file=%s/callgrind.out.%%p" % out]
    bench = Deployment.get().bench / "php"
    server = PhpFpmNginx("preload", ENV, workers=1, nginx_conf=REPO / "bench/php/nginx-bench.conf",
                         BENCH=bench, preload=bench / "preload.php", pool=FIELDS_POOL + pool, fpm_prefix=valgrind)
    sample = bodies()
    measured: List[Tuple[str, int]] = []  # (endpoint, request number)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
        sent = 0

        def post(name: str, body: str) -> None:
            nonlocal sent
            conn.request("POST", "/bench/" + name, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            assert (r.status, r.read()) == (200, b"SUCCESS"), (name, server.logs())
            sent += 1

        for name in endpoints:
            for i in range(5):  # first requests: opcache, the worker's lazy start-up
                post(name, sample[i])
            for i in range(requests):
                measured.append((name, sent))
                post(name, sample[i % len(sample)])
        post(endpoints[0], sample[0])  # its start dumps the last measured one
        worker = next(pid for pid, (comm, _) in server.workers().items() if comm != "nginx")
    finally:
        server.stop()
    result = {}
    for name in endpoints:
        cost: Counter = Counter()
        lines = pages = lib_lines = ffi_lines = 0
        for _, k in (m for m in measured if m[0] == name):
            dump = out / ("callgrind.out.%d.%d" % (worker, k + 2))
            if not dump.exists():
                raise SystemExit("no callgrind dump %s: does this php-fpm export php_request_startup?" % dump)
            c, ls = object_costs(dump)
            cost += c
            lines += sum(len(s) for s in ls.values())
            lib_lines += sum(len(s) for k, s in ls.items() if "libcmpay" in k)
            ffi_lines += sum(len(s) for k, s in ls.items() if is_ffi(k))
            pages += sum(len({line >> 6 for line in s}) for s in ls.values())
        result[name] = (cost, lines, lib_lines, ffi_lines, pages)
    if keep:
        shutil.copytree(out, Path(keep) / ("kit" if pool else "pool"), dirs_exist_ok=True)
        print("callgrind dumps kept in %s (worker %d; request k, in the order sent, is dump k + 2)" % (keep, worker))
    shutil.rmtree(out, ignore_errors=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--phases", type=int, default=2000, help="requests for the timed steps (0: skip)")
    ap.add_argument("--wrk", type=int, default=3, help="rounds of wrk for the CPU per request (0: skip)")
    ap.add_argument("--keep", metavar="DIR", help="keep the callgrind dumps in DIR (for callgrind_annotate)")
    ap.add_argument("endpoints", nargs="*", default=list(ENDPOINTS))
    args = ap.parse_args()
    if args.wrk:
        cpu_under_wrk(args.wrk)
    if args.phases:
        phases(args.phases)
    results = {}
    for pool, names in (((), [n for n in args.endpoints if n not in KIT_ENDPOINTS]),
                        (KIT_POOL, [n for n in args.endpoints if n in KIT_ENDPOINTS])):
        if names:
            results.update(callgrind(names, pool, args.requests, args.keep))
    print("PHP-FPM preload setting, one worker under callgrind, %d requests each; per request:" % args.requests)
    print("| endpoint | instructions | libcmpay | PHP's FFI + libffi | distinct code: 64 B lines | libcmpay lines"
          " | FFI + libffi lines | 4 KiB pages |")
    print("|---|---|---|---|---|---|---|---|")
    n = args.requests
    for name in args.endpoints:
        cost, lines, lib_lines, ffi_lines, pages = results[name]
        ffi = sum(v for k, v in cost.items() if is_ffi(k))
        lib = sum(v for k, v in cost.items() if "libcmpay" in k)
        print("| %s | %.1f k | %.1f k | %.1f k | %.0f (%.0f KiB) | %.0f | %.0f | %.0f |" % (
            name, sum(cost.values()) / n / 1000, lib / n / 1000, ffi / n / 1000, lines / n, lines / n * 64 / 1024,
            lib_lines / n, ffi_lines / n, pages / n))


if __name__ == "__main__":
    main()
