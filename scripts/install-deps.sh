#!/usr/bin/env bash
# Installs what `make test` needs beyond Rust: valgrind for the C ABI tests,
# PHP with FFI and PHPUnit, Mono and NUnit, JNA and JUnit 5, pytest; for
# tests/servers: nginx, PHP-FPM with PDO SQLite/PostgreSQL, PostgreSQL, wrk,
# Jetty 9 with its JSP engine and the JDBC drivers, Tomcat 10.1 for private
# instances (tomcat10-user: tomcat10-instance-create, CATALINA_HOME and Jasper;
# not the tomcat10 service package, which runs an instance on port 8080 under
# systemd), fastcgi-mono-server4 with
# Mono.Data.Sqlite and, for System.Data.Odbc, unixODBC and the PostgreSQL ODBC
# driver, Chromium with its driver and a CJK font for the browser test;
# Debian's Laravel 8 (php-laravel-framework, in /usr/share/php) for the
# Laravel integration's test (tests/servers/test_frameworks.py).
# For the fuzz targets under libFuzzer and AddressSanitizer (make fuzz,
# make test-fuzz-sanitizer): the nightly toolchain and cargo-fuzz.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
# cargo-fuzz: pinned (with its own lock file), built by the stable toolchain;
# 0.13.2 drives nightly 1.97 (2026-05-15) with libfuzzer-sys 0.4.13. The
# nightly channel is not pinned: its sanitizer flags have been stable for years.
cargo_fuzz_version=0.13.2
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "installing: the nightly Rust toolchain (cargo-fuzz's sanitizers need it)"
  rustup toolchain install nightly --profile minimal
fi
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $cargo_fuzz_version" ]; then
  echo "installing: cargo-fuzz $cargo_fuzz_version"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked
fi
pkgs=(valgrind php8.2-cli phpunit mono-mcs mono-runtime nunit-console libnunit-cil-dev libjna-java junit5 default-jdk-headless libservlet-api-java libmono-system-web4.0-cil
  php8.2-fpm php8.2-sqlite3 php8.2-pgsql nginx postgresql wrk
  jetty9 libjetty9-extra-java tomcat10-user libxerial-sqlite-jdbc-java libpostgresql-jdbc-java
  mono-fastcgi-server4 libmono-sqlite4.0-cil unixodbc odbc-postgresql chromium chromium-driver fonts-wqy-microhei
  php-laravel-framework)
# make dist / test-dist: Maven, Composer (with PHP's zip), NuGet on Mono,
# mono-devel (.NET Framework 4.6.1's reference assemblies Cmpay.dll is built
# against, sn for its strong name, xbuild to run build/Cmpay.targets),
# debootstrap, binutils, pkg-config, python3-venv, unzip (the pinned packaging
# tools themselves: scripts/install-dist-tools.sh).
pkgs+=(maven composer php8.2-zip nuget mono-devel debootstrap binutils pkg-config python3-venv unzip)
# test-dist's Windows and arm64 runs (tests/dist/cross.sh): Debian's wine 8,
# 64- and 32-bit (wine32 is an i386 package), and qemu-user with the arm64
# C library for qemu-aarch64 -L /usr/aarch64-linux-gnu.
dpkg --print-foreign-architectures | grep -qx i386 || { dpkg --add-architecture i386; apt-get update -qq; }
pkgs+=(wine wine64 wine32:i386 qemu-user libc6-arm64-cross)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install -q 'pytest>=7,<9'
# tests/servers: the Python examples under gunicorn, with Flask, Django and psycopg;
# Selenium drives Debian's chromium through its chromedriver.
python3 -c 'import gunicorn, flask, django, psycopg, selenium' 2>/dev/null \
  || python3 -m pip install -q 'gunicorn>=21' 'flask>=2.2' 'django>=4.2' 'psycopg[binary]>=3.1' 'selenium>=4.11'
# tests/servers as root: the Python examples' gunicorn workers run as www-data,
# who may not read this interpreter (e.g. pyenv under a 0700 /root). As a deploy
# would, the web app gets its own virtualenv of Debian's python3, readable by
# all: CMPAY_SHOP_VENV (tests/servers/servers.py looks there too).
if [ "$(id -u)" = 0 ]; then
  shop_venv=${CMPAY_SHOP_VENV:-/opt/cmpay-shop-venv}
  "$shop_venv/bin/python" -c 'import gunicorn, flask, django, psycopg' 2>/dev/null || (
    umask 022
    /usr/bin/python3 -m venv "$shop_venv"
    "$shop_venv/bin/python" -m pip install -q 'gunicorn>=21' 'flask>=2.2' 'django>=4.2' 'psycopg[binary]>=3.1'
  )
fi
