#!/usr/bin/env bash
# The throughput benchmark's WAR, build/cmpay-notify-bench.war: the example's
# javax WAR (../build-war.sh, build/cmpay-notify.war) plus the bench servlets (io.cmpay.bench) and
# webapp/WEB-INF/web.xml mapping them at /bench/lib, /bench/ack, /bench/native and /bench/native-full.
# For tests/servers/bench_servers.py (make bench-servers); not for production.
set -euo pipefail
cd "$(dirname "$0")/.."
./build-war.sh >/dev/null
rm -rf build/bench-war build/cmpay-notify-bench.war
cp -r build/war-cmpay-notify build/bench-war
mkdir -p build/bench-war/WEB-INF/classes/io/cmpay/bench
cp build/bench-classes/io/cmpay/bench/*.class build/bench-war/WEB-INF/classes/io/cmpay/bench/
cp bench/webapp/WEB-INF/web.xml build/bench-war/WEB-INF/web.xml
(cd build/bench-war && jar cf ../cmpay-notify-bench.war .)
echo "build/cmpay-notify-bench.war"
