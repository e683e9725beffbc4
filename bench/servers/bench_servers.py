#!/usr/bin/env python3
"""Throughput of the notify endpoint in the servers shops deploy (a
benchmark, not a test: `make bench-servers`; figures in BENCHMARKS.md).

wrk on loopback POSTs valid OfflineNotify bodies (a sample of distinct
signed bodies, cycled) at each endpoint through libcmpay and at the same
endpoint written natively in that language, served by the same server in the
same run: nginx + PHP-FPM with ffi.enable=true and with the production
preload setting (plus what loading the binding costs a request), and
gunicorn. Prints one Markdown table. The bodies are bench/notification.json's
notification, each with its own payNo and orderId, signed again with its key;
its field order reaches the native endpoints as CMPAY_NOTIFY_FIELDS (PHP-FPM,
gunicorn reads the fixture itself), cmpay.notifyFields (Jetty) and
CMPAY_NOTIFY_FIELDS (Mono)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path
from typing import Dict, List, Tuple

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH.parent / "tests" / "servers"))  # the servers make test-servers starts

from servers import REPO, Deployment, Gunicorn, Jetty, MonoFastCgiNginx, PhpFpmNginx, http, lib_path  # noqa: E402

FIXTURE = json.loads((BENCH / "notification.json").read_text(encoding="utf-8"))
MERCHANT_ID, KEY = FIXTURE["merchant_id"], FIXTURE["md5_key"]
FIELDS = tuple(name for name, _ in FIXTURE["fields"])  # the signing order
NOTIFY_FIELDS = ",".join(FIELDS)  # as the native endpoints read it from their settings
# The PHP-FPM pool's setting that gives the native endpoints the signing order.
FIELDS_POOL = ("env[CMPAY_NOTIFY_FIELDS] = " + NOTIFY_FIELDS,)
DURATION = os.environ.get("BENCH_DURATION", "5s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # endpoints interleaved, the median of the rounds reported
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
LUA = """
local bodies = {}
for line in io.lines(os.getenv("CMPAY_BENCH_BODIES")) do bodies[#bodies + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
"""


def bodies(n: int = 500) -> List[str]:
    """n OfflineNotify bodies: the fixture's fields in its order, each body for its own
    order (BENCH and 8 digits, what the bench endpoints' no-op stores know) and payNo,
    signed with the fixture's key."""
    out = []
    for i in range(n):
        f = dict(FIXTURE["fields"], payNo="2026113000000%011d" % i, orderId="BENCH%08d" % i)
        source = "".join(f[k] for k in FIELDS).encode()
        inner = hmac.new(b"", source, hashlib.md5).hexdigest().encode()
        f["hmac"] = hmac.new(KEY.encode(), inner, hashlib.md5).hexdigest()
        out.append(urllib.parse.urlencode(f))
    return out


def check(url: str, sample: List[str]) -> None:
    """Both endpoints must agree before they are timed: SUCCESS, and FAIL when tampered."""
    for body in sample[:3]:
        assert http("POST", url, body.encode())[:3:2] == (200, b"SUCCESS"), url
    amount = "amount=" + dict(FIXTURE["fields"])["amount"]
    assert http("POST", url, sample[0].replace(amount, amount + "1").encode())[0] == 400, url


def measure(endpoints: List[Tuple[str, str]], bodies_file: Path, lua: Path) -> List[Tuple[str, float, str]]:
    """(what, median requests/s, median p99) of each (what, url), the endpoints taking turns."""
    runs: Dict[str, List[Tuple[float, str]]] = {what: [] for what, _ in endpoints}
    for _ in range(ROUNDS):
        for what, url in endpoints:
            runs[what].append(wrk(url, bodies_file, lua))
    out = []
    for what, _ in endpoints:
        rps = sorted(r for r, _ in runs[what])
        p99 = sorted((p for _, p in runs[what]), key=_ms)
        out.append((what, rps[len(rps) // 2], p99[len(p99) // 2]))
    return out


def _ms(p99: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)$", p99)
    assert m, p99
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]


def wrk(url: str, bodies_file: Path, lua: Path) -> Tuple[float, str]:
    out = subprocess.run(["wrk", "-t2", "-c" + CONNECTIONS, "-d" + DURATION, "--latency", "-s", str(lua), url],
                         env=dict(os.environ, CMPAY_BENCH_BODIES=str(bodies_file)), check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError("errors under load at %s:\n%s" % (url, out))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    return rps, p99


# --- Jetty 9 and nginx + fastcgi-mono-server4: JIT-compiled servers, so each
# endpoint is warmed up (an unmeasured wrk run) before the measured rounds. ---
WARMUP = os.environ.get("BENCH_WARMUP", "10s")


def warm(endpoints: List[Tuple[str, str]], bodies_file: Path, lua: Path) -> None:
    """An unmeasured wrk run at each endpoint (the JIT compiles the hot paths), twice in turn."""
    for _ in range(2):
        for _, url in endpoints:
            subprocess.run(["wrk", "-t2", "-c" + CONNECTIONS, "-d" + WARMUP, "-s", str(lua), url],
                           env=dict(os.environ, CMPAY_BENCH_BODIES=str(bodies_file)), check=True, stdout=subprocess.DEVNULL)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads, so far."""
    stat = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def _seconds(duration: str) -> float:
    m = re.match(r"(\d+)(s|m)$", duration)
    assert m, duration
    return float(m.group(1)) * (60 if m.group(2) == "m" else 1)


# (server, endpoint) -> the endpoint of the same server it is compared with (the "vs" column):
# the one doing the same work natively.
VERSUS: Dict[Tuple[str, str], str] = {}


def ratio(rows: List[Tuple[str, str, float, str]], setting: str, what: str, rps: float) -> str:
    """"0.95× native ..." against the row VERSUS names for (setting, what), "" for a baseline."""
    base = VERSUS.get((setting, what))
    if base is None:
        return ""
    base_rps = next(r[2] for r in rows if r[0] == setting and r[1] == base)
    return "%.2f× %s" % (rps / base_rps, base)


def print_rows(rows: List[Tuple[str, str, float, str]]) -> None:
    print("| server | endpoint | requests/s | vs | p99 |")
    print("|---|---|---|---|---|")
    for setting, what, rps, p99 in rows:
        print("| %s | %s | %.0f | %s | %s |" % (setting, what, rps, ratio(rows, setting, what, rps), p99))


# (server, endpoint, median CPU time of the application server per request in µs): a second
# table, steadier than requests/s when other jobs share the cores.
CPU_ROWS: List[Tuple[str, str, float]] = []


def measure_server_cpu(setting: str, endpoints: List[Tuple[str, str]], bodies_file: Path, lua: Path,
                       pid: int) -> List[Tuple[str, str, float, str]]:
    """As measure(), and the CPU time process ``pid`` (the JVM, Mono) spent per request."""
    runs: Dict[str, List[Tuple[float, str, float]]] = {what: [] for what, _ in endpoints}
    for _ in range(ROUNDS):
        for what, url in endpoints:
            cpu0 = _cpu_seconds(pid)
            rps, p99 = wrk(url, bodies_file, lua)
            runs[what].append((rps, p99, (_cpu_seconds(pid) - cpu0) / (rps * _seconds(DURATION)) * 1e6))
    rows = []
    for what, _ in endpoints:
        rps = sorted(r[0] for r in runs[what])
        p99 = sorted((r[1] for r in runs[what]), key=_ms)
        cpu = sorted(r[2] for r in runs[what])
        rows.append((setting, what, rps[len(rps) // 2], p99[len(p99) // 2]))
        CPU_ROWS.append((setting, what, cpu[len(cpu) // 2]))
    return rows


def print_cpu_rows() -> None:
    if CPU_ROWS:
        print("\n| server | endpoint | server CPU per request | vs |")
        print("|---|---|---|---|")
        for setting, what, us in CPU_ROWS:
            base = VERSUS.get((setting, what))
            vs = "" if base is None else "%+.1f µs vs %s" % (
                us - next(u for s, w, u in CPU_ROWS if s == setting and w == base), base)
            print("| %s | %s | %.1f µs | %s |" % (setting, what, us, vs))


def _checked_warmed_measured(setting: str, server, pid: int, endpoints: List[Tuple[str, str]], sample: List[str],
                             bodies_file: Path, lua: Path) -> List[Tuple[str, str, float, str]]:
    """check() each endpoint, warm them up, measure them (with the CPU of ``pid``); then stop ``server``."""
    try:
        for _, url in endpoints:
            check(url, sample)
        warm(endpoints, bodies_file, lua)
        return measure_server_cpu(setting, endpoints, bodies_file, lua, pid)
    finally:
        server.stop()


def jetty_rows(sample: List[str], bodies_file: Path, lua: Path) -> List[Tuple[str, str, float, str]]:
    """Jetty 9 (Debian's) serving the benchmark's WAR (bench/java/build-war.sh: the
    example's WAR plus /bench/lib, the example's NotifyServlet with a no-op store, /bench/ack,
    parse + ack only, /bench/native, the kit's check with javax.crypto.Mac, and
    /bench/native-full, that check then the example's reads and order check in plain Java),
    started as make test-servers starts it. Each libcmpay endpoint is compared with the native
    one doing the same work."""
    subprocess.run([str(REPO / "bench/java/build-war.sh")], check=True, stdout=subprocess.DEVNULL)
    server = Jetty({"cmpay.merchantId": MERCHANT_ID, "cmpay.signKey": KEY, "cmpay.notifyFields": NOTIFY_FIELDS},
                   war=REPO / "bindings/java/build/cmpay-notify-bench.war")
    setting = "Jetty 9, servlet"
    native, native_full = "native (javax.crypto.Mac), parse + ack", "native (javax.crypto.Mac), the example's path"
    lib_ack, lib_full = "libcmpay (JNA), parse + ack", "libcmpay (JNA), the example's path"
    VERSUS.update({(setting, lib_ack): native, (setting, lib_full): native_full})
    return _checked_warmed_measured(setting, server, server.procs[0].proc.pid, [
        (native, server.url + "bench/native"),
        (lib_ack, server.url + "bench/ack"),
        (native_full, server.url + "bench/native-full"),
        (lib_full, server.url + "bench/lib")], sample, bodies_file, lua)


def mono_rows(sample: List[str], bodies_file: Path, lua: Path) -> List[Tuple[str, str, float, str]]:
    """nginx + fastcgi-mono-server4 serving the example's ASP.NET site plus the benchmark's
    handlers (bench/dotnet: NotifyLib.ashx, the example's handler with a no-op
    store; NotifyAck.ashx, parse + ack only; NotifyNative.ashx, HMACMD5), started as make
    test-servers starts it."""
    subprocess.run([str(REPO / "bindings/dotnet/build.sh")], check=True, stdout=subprocess.DEVNULL)
    bench = REPO / "bench/dotnet"
    server = MonoFastCgiNginx({"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "SHOP_DB": "", "SHOP_DB_PROVIDER": "Mono.Data.Sqlite",
                               "ENDPOINT": "", "ALLOW_HTTP": "false"}, env={"CMPAY_NOTIFY_FIELDS": NOTIFY_FIELDS},
                              nginx_conf=bench / "nginx-bench.conf",
                              handlers=[bench / "NotifyLib.ashx", bench / "NotifyAck.ashx", bench / "NotifyNative.ashx"],
                              dlls=["Cmpay.Bench.dll"])
    mono = next(p.proc.pid for p in server.procs if "mono" in p.args[0])
    setting = "nginx + fastcgi-mono-server4, ASP.NET .ashx"
    # No native full path here: both are compared with the native parse + ack.
    VERSUS.update({(setting, "libcmpay (P/Invoke), the example's path"): "native (HMACMD5)",
                   (setting, "libcmpay (P/Invoke), parse + ack only"): "native (HMACMD5)"})
    return _checked_warmed_measured(setting, server, mono, [
        ("native (HMACMD5)", server.url + "NotifyNative.ashx"),
        ("libcmpay (P/Invoke), the example's path", server.url + "NotifyLib.ashx"),
        ("libcmpay (P/Invoke), parse + ack only", server.url + "NotifyAck.ashx")], sample, bodies_file, lua)


# The kit's own way of reading a notification ($_POST) needs PHP's form parser,
# which the documented pool switches off: it is served by a second pool.
KIT_POOL = ("php_admin_flag[enable_post_data_reading] = on",)


def php_servers(mode: str, env: Dict[str, str], **kw: object) -> Tuple[PhpFpmNginx, PhpFpmNginx]:
    """The documented pool and the kit's (PHP's form parser on), both with the
    benchmark's preload (the package's plus the FFI floor) at ffi.enable=preload
    and the signing order in CMPAY_NOTIFY_FIELDS."""
    bench = Deployment.get().bench / "php"
    preload = bench / "preload.php" if mode == "preload" else None
    conf = REPO / "bench/php/nginx-bench.conf"
    first = PhpFpmNginx(mode, env, nginx_conf=conf, BENCH=bench, preload=preload, pool=FIELDS_POOL, **kw)
    try:
        return first, PhpFpmNginx(mode, env, nginx_conf=conf, BENCH=bench, preload=preload, pool=FIELDS_POOL + KIT_POOL, **kw)
    except BaseException:
        first.stop()
        raise


def php_rows(mode: str, env: Dict[str, str], sample: List[str], bodies_file: Path, lua: Path) -> List[Tuple[str, str, float, str]]:
    """nginx + PHP-FPM at one FFI setting: the library's endpoint against the native ones,
    the FFI floor (preload only), an empty script and the binding's loading."""
    setting = "nginx + PHP-FPM, ffi.enable=%s" % ("true" if mode == "enable" else "preload (+ ffi.preload, opcache.preload)")
    pool, kit_pool = php_servers(mode, env, workers=4)
    try:
        endpoints = []
        for server, name, what in ((pool, "notify_native", "native (hash_hmac), body split"),
                                   (kit_pool, "notify_native_post", "native (hash_hmac), $_POST as the PHP kit"),
                                   (pool, "notify_lib", "libcmpay"),
                                   (pool, "notify_ffi_floor", "FFI floor: the same calls, no binding classes"),
                                   (pool, "empty", "empty script (floor)"),
                                   (pool, "load_only", "load the binding + one call")):
            if name == "notify_ffi_floor" and mode != "preload":
                continue
            url = server.url + "bench/" + name
            if name.startswith("notify"):
                check(url, sample)
            endpoints.append((what, url))
        VERSUS[(setting, "libcmpay")] = "native (hash_hmac), body split"
        VERSUS[(setting, "FFI floor: the same calls, no binding classes")] = "native (hash_hmac), body split"
        VERSUS[(setting, "native (hash_hmac), $_POST as the PHP kit")] = "native (hash_hmac), body split"
        return [(setting,) + r for r in measure(endpoints, bodies_file, lua)]
    finally:
        pool.stop()
        kit_pool.stop()


JIT_SERVERS = {"jetty": jetty_rows, "mono": mono_rows}


ENV = {"CMPAY_MERCHANT_ID": MERCHANT_ID, "CMPAY_SIGN_KEY": KEY, "CMPAY_DB_DSN": "sqlite::memory:",
       "CMPAY_ENDPOINT": "http://127.0.0.1:9/"}


def all_php_rows(sample: List[str], bodies_file: Path, lua: Path) -> List[Tuple[str, str, float, str]]:
    return php_rows("enable", ENV, sample, bodies_file, lua) + php_rows("preload", ENV, sample, bodies_file, lua)


def main() -> None:
    rows: List[Tuple[str, str, float, str]] = []
    env = ENV
    with tempfile.TemporaryDirectory() as tmp:
        sample = bodies()
        bodies_file, lua = Path(tmp) / "bodies.txt", Path(tmp) / "bodies.lua"
        bodies_file.write_text("\n".join(sample) + "\n")
        lua.write_text(LUA)
        rows += all_php_rows(sample, bodies_file, lua)
        server = Gunicorn("notify_bench_wsgi:application", env, workers=2, chdir=Deployment.get().bench / "python")
        try:
            endpoints = [("native (hmac)", server.url + "native"), ("libcmpay", server.url + "lib")]
            for _, url in endpoints:
                check(url, sample)
            rows += [("gunicorn (2 sync workers), WSGI",) + r for r in measure(endpoints, bodies_file, lua)]
            VERSUS[("gunicorn (2 sync workers), WSGI", "libcmpay")] = "native (hmac)"
        finally:
            server.stop()
        for rows_of in JIT_SERVERS.values():
            rows += rows_of(sample, bodies_file, lua)
    header = Path(tempfile.mkdtemp()) / "cmpay-ffi.h"
    with open(header, "wb") as h:
        subprocess.run(["php", str(REPO / "bindings/php/ffi-header.php"), "--lib", lib_path()], stdout=h, check=True)
    print(subprocess.run(["php", "-d", "ffi.enable=1", "-d", "ffi.preload=%s" % header, str(REPO / "bench/php/load_cost.php")],
                         env=dict(os.environ, CMPAY_LIB=lib_path(), CMPAY_BENCH_BODY=bodies(1)[0], CMPAY_SIGN_KEY=KEY,
                                  CMPAY_MERCHANT_ID=MERCHANT_ID), check=True, stdout=subprocess.PIPE, text=True).stdout)
    shutil.rmtree(header.parent)
    print("wrk -t2 -c%s -d%s, %d rounds, medians" % (CONNECTIONS, DURATION, ROUNDS))
    print_rows(rows)
    print_cpu_rows()


def only(names: List[str]) -> None:
    """`bench_servers.py jetty mono` (or php): only those servers (one table)."""
    rows: List[Tuple[str, str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        sample = bodies()
        bodies_file, lua = Path(tmp) / "bodies.txt", Path(tmp) / "bodies.lua"
        bodies_file.write_text("\n".join(sample) + "\n")
        lua.write_text(LUA)
        for name in names:
            rows += dict(JIT_SERVERS, php=all_php_rows)[name](sample, bodies_file, lua)
    print("wrk -t2 -c%s -d%s, %d rounds, medians, after a %s warm-up of each endpoint (twice, in turn)" % (CONNECTIONS, DURATION, ROUNDS, WARMUP))
    print_rows(rows)
    print_cpu_rows()


if __name__ == "__main__":
    if sys.argv[1:]:
        only(sys.argv[1:])
    else:
        main()
