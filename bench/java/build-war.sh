#!/usr/bin/env bash
# The throughput benchmark's WAR, build/cmpay-notify-bench.war: the example's
# javax WAR (bindings/java/build-war.sh, build/cmpay-notify.war) plus the bench servlets (io.cmpay.bench,
# compiled by bindings/java/build.sh into build/bench-classes) and webapp/WEB-INF/web.xml mapping them
# at /bench/lib, /bench/ack, /bench/native and /bench/native-full; all in bindings/java/build/.
# For bench/servers/bench_servers.py (make bench-servers); not for production.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
cd "$BENCH/../../bindings/java"
./build-war.sh >/dev/null
rm -rf build/bench-war build/cmpay-notify-bench.war
cp -r build/war-cmpay-notify build/bench-war
mkdir -p build/bench-war/WEB-INF/classes/io/cmpay/bench
cp build/bench-classes/io/cmpay/bench/*.class build/bench-war/WEB-INF/classes/io/cmpay/bench/
cp "$BENCH/webapp/WEB-INF/web.xml" build/bench-war/WEB-INF/web.xml
(cd build/bench-war && jar cf ../cmpay-notify-bench.war .)
echo "bindings/java/build/cmpay-notify-bench.war"
