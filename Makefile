# The two commands of the README: `make demo` and `make test`.
# Each language's suite has its own target below; `make test` runs them all.
CARGO ?= cargo
LIBDIR := $(CURDIR)/target/debug

.PHONY: test deps lint build test-rust test-fuzz test-fuzz-sanitizer fuzz test-c test-php test-python test-dotnet test-java test-servers bench-servers test-kits demo bench bench-c \
  dist dist-native install test-dist test-glibc-bullseye test-cross
test: lint deps test-rust test-fuzz test-fuzz-sanitizer test-c test-php test-python test-dotnet test-java test-kits test-servers test-dist

deps:
	./scripts/install-deps.sh

# The gates every change passes before its tests run: formatting (rustfmt.toml),
# clippy with warnings denied, the documentation built with warnings denied
# (lib.rs warns on a public item without docs: that fails here), and the
# declared MSRV (scripts/check-msrv.sh says what it could check), and every
# copy of the status list against cmpay_status in the committed header
# (scripts/check-statuses.py names the file and the entry that differs).
lint:
	python3 scripts/check-statuses.py
	$(CARGO) fmt --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --quiet
	./scripts/check-msrv.sh

# The shared library every binding loads (target/debug/libcmpay.so) and the CLI.
build:
	$(CARGO) build --workspace

test-rust:
	$(CARGO) test --workspace

# --- Fuzzing on the stable toolchain (docs/resplit.md): every target of fuzz/targets.rs
# (the bodies the cargo-fuzz targets in fuzz/ call) replays its seed corpus and
# regressions, then mutated inputs for up to CMPAY_FUZZ_SECONDS each (7 targets).
# (FUZZ_LONG_SECONDS, for `make fuzz` below, is read before the 12 s default.)
FUZZ_LONG_SECONDS := $(or $(FUZZ_SECONDS),600)
FUZZ_SECONDS ?= 12
test-fuzz:
	CMPAY_FUZZ_ITERS=1000000000 CMPAY_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CARGO) test -p cmpay --test fuzz -- --nocapture

# --- The same targets under libFuzzer and AddressSanitizer (docs/resplit.md): cargo-fuzz
# on the nightly toolchain (both installed by scripts/install-deps.sh), driven
# by scripts/fuzz.sh, which says why each setting (ASan with LeakSanitizer,
# optimised with overflow checks and debug assertions, -timeout=10,
# -rss_limit_mb=2048, -max_len=71680). Both build every target once, then fuzz
# FUZZ_JOBS targets at a time (one per core), from fuzz/corpus/<target>/ and
# fuzz/regressions/<target>/.
# test-fuzz-sanitizer (in `make test`): FUZZ_SANITIZER_SECONDS per target on a
# temporary copy of the corpus (the checkout stays clean); any crash, leak,
# timeout or out-of-memory fails it, the input kept in fuzz/artifacts/<target>/
# and its path printed. From a cold fuzz/target on this 2-core machine,
# 210-250 s (measured while other builds shared it), of which the nightly ASan
# build of the library and its dependencies is 140-180 s; 70 s once built.
# fuzz: the long run for a person, FUZZ_SECONDS per target (600 unless given);
# new inputs that add coverage are merged into fuzz/corpus/<target>/ and a
# failing input is copied to fuzz/regressions/<target>/ (tests/fuzz.rs
# replays it on every cargo test), naming it: commit both.
# One target: `make fuzz FUZZ_TARGETS=notify FUZZ_SECONDS=3600`.
FUZZ_SANITIZER_SECONDS ?= 15
FUZZ_JOBS ?= $(shell nproc)
FUZZ_TARGETS ?=
test-fuzz-sanitizer:
	FUZZ_SECONDS=$(FUZZ_SANITIZER_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) ./scripts/fuzz.sh check $(FUZZ_TARGETS)

fuzz:
	FUZZ_SECONDS=$(FUZZ_LONG_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) ./scripts/fuzz.sh run $(FUZZ_TARGETS)

# --- C ABI: header check + C tests under valgrind ---
test-c: build
	@# The committed header must equal what crates/cmpay-ffi/build.rs just generated from its src/.
	@if git ls-files --error-unmatch crates/cmpay-ffi/include/cmpay.h >/dev/null 2>&1; then \
	  git diff --exit-code --stat -- crates/cmpay-ffi/include/cmpay.h || { echo "crates/cmpay-ffi/include/cmpay.h differs from a fresh generation (cbindgen 0.29.4, build.rs): commit the regenerated header" >&2; exit 1; }; \
	else echo "note: include/cmpay.h is not committed yet" >&2; fi
	@# Every binding's status table, exception mapping and docs, and the README's table, agree with the header's cmpay_status.
	python3 scripts/check-statuses.py
	php -d ffi.enable=1 tests/c/php_header_check.php crates/cmpay-ffi/include/cmpay.h $(LIBDIR)/libcmpay.so
	mkdir -p target/c
	python3 tests/c/gen_vectors.py tests/data/cmpay-vectors.json > target/c/vectors.h
	python3 scripts/check-statuses.py --c-names > target/c/statuses.h
	$(CC) -std=c11 -g -O1 -Wall -Wextra -Werror -pedantic -Icrates/cmpay-ffi/include -Itarget/c tests/c/test_abi.c \
	  -o target/c/test_abi -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lcmpay -lpthread
	tests/c/run.sh target/c/test_abi $(LIBDIR)/cmpay

# --- PHP and Python bindings ---
test-php: build
	cd bindings/php && CMPAY_LIB=$(LIBDIR)/libcmpay.so CMPAY_BIN=$(LIBDIR)/cmpay php -d ffi.enable=1 "$$(command -v phpunit || echo phpunit-is-not-installed)" --colors=never

test-python: build
	cd bindings/python && CMPAY_LIB=$(LIBDIR)/libcmpay.so CMPAY_BIN=$(LIBDIR)/cmpay PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -p no:cacheprovider -ra

# --- .NET and Java bindings ---
test-dotnet: build
	bindings/dotnet/build.sh
	cd bindings/dotnet && CMPAY_LIB=$(LIBDIR)/libcmpay.so CMPAY_BIN=$(LIBDIR)/cmpay CMPAY_REPO=$(CURDIR) \
	  nunit-console -nologo -noshadow -xml=build/TestResult.xml build/Cmpay.Tests.dll

# --- 2011-style merchants (protocol.md §8): plain PHP and Python, no library, against the sandbox ---
test-kits: build
	CMPAY_BIN=$(LIBDIR)/cmpay php tests/kits/kit2011.php
	CMPAY_BIN=$(LIBDIR)/cmpay PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -p no:cacheprovider -q tests/kits/test_kit2011.py

# Under Maven Surefire (Maven Central's JNA and JUnit, pom.xml); Maven
# fetches what it lacks on a fresh machine. bindings/java/build.sh (javac with
# Debian's jars) stays for the example deployments. The binding is installed
# into the local Maven repository for the Spring Boot starter
# (spring-boot-starter/pom.xml, Spring Boot from Maven Central), tested next.
test-java: build
	cd bindings/java && CMPAY_LIB=$(LIBDIR)/libcmpay.so CMPAY_BIN=$(LIBDIR)/cmpay CMPAY_REPO=$(CURDIR) \
	  mvn -B -ntp install
	cd bindings/java/spring-boot-starter && CMPAY_LIB=$(LIBDIR)/libcmpay.so CMPAY_BIN=$(LIBDIR)/cmpay CMPAY_REPO=$(CURDIR) \
	  mvn -B -ntp verify

# --- The examples deployed in the servers shops run: nginx + PHP-FPM,
# PostgreSQL, ...; each started on loopback by tests/servers and stopped by it ---
test-servers: build
	CMPAY_LIB=$(LIBDIR)/libcmpay.so CMPAY_BIN=$(LIBDIR)/cmpay PYTHONDONTWRITEBYTECODE=1 \
	  python3 -m pytest -p no:cacheprovider -ra tests/servers

# --- Benchmarks (not tests): all their code in bench/, one folder per language,
# every one parsing bench/notification.json's notification (BENCHMARKS.md) ---
# Throughput of the notify endpoints in the servers of test-servers, library vs
# native (wrk).
bench-servers:
	$(CARGO) build --release --workspace
	CMPAY_LIB=$(CURDIR)/target/release/libcmpay.so CMPAY_BIN=$(CURDIR)/target/release/cmpay PYTHONDONTWRITEBYTECODE=1 \
	  python3 bench/servers/bench_servers.py
	CMPAY_LIB=$(CURDIR)/target/release/libcmpay.so PYTHONDONTWRITEBYTECODE=1 python3 bench/servers/profile_php_fpm.py

demo:
	$(CARGO) run --quiet -p cmpay-cli -- demo

# The core's hot paths (criterion, bench/rust/core.rs, built by crates/cmpay).
bench:
	$(CARGO) bench -p cmpay --bench core

# The C ABI's cost from C (bench/c/bench_abi.c); BENCH_C_SECONDS a line.
BENCH_C_SECONDS ?= 1
bench-c:
	$(CARGO) build --release -p cmpay-ffi
	mkdir -p target/c
	python3 tests/c/gen_vectors.py tests/data/cmpay-vectors.json > target/c/vectors.h
	python3 bench/c/gen_fixture.py bench/notification.json > target/c/bench_fixture.h
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -pedantic -Icrates/cmpay-ffi/include -Itarget/c bench/c/bench_abi.c \
	  -o target/c/bench_abi -Ltarget/release -Wl,-rpath,$(CURDIR)/target/release -lcmpay
	target/c/bench_abi tests/data $(BENCH_C_SECONDS)

# --- Packages that install without Rust ---
# `make dist` builds the library and CLI once (release, LTO, stripped, glibc
# 2.17 through cargo-zigbuild: scripts/dist/native.sh), and once each for
# Windows x64 and x86 (Windows 7 floor) and Linux arm64 (glibc 2.17) in a
# cached Debian 13 chroot (scripts/dist/cross.sh, docs/platforms.md), then
# packs those builds into every artifact of dist/. The version is Cargo.toml's.
PREFIX ?= /usr/local
dist-native:
	./scripts/dist/native.sh
	./scripts/dist/cross.sh

dist: dist-native
	rm -rf dist
	./scripts/dist/tarball.sh
	CMPAY_PLATFORM=linux-aarch64 ./scripts/dist/tarball.sh
	./scripts/dist/windows.sh
	./scripts/dist/python.sh
	./scripts/dist/php.sh
	./scripts/dist/java.sh
	./scripts/dist/dotnet.sh

install: dist-native
	./scripts/dist/tarball.sh install "$(PREFIX)"

# Each artifact of dist/ installed and run in a clean environment, the
# glibc floor read off every shipped ELF file, every path a binding's README
# cites found in its package, and the Windows and arm64 packages under wine
# and qemu-user (tests/dist/cross.sh).
test-dist: dist
	tests/dist/glibc_floor.sh dist
	tests/dist/readme_paths.py
	tests/dist/c.sh
	tests/dist/python.sh
	tests/dist/php.sh
	tests/dist/java.sh
	tests/dist/dotnet.sh
	tests/dist/bullseye.sh
	tests/dist/cross.sh

# The C ABI tests on the packaged library inside a debootstrap of Debian 11
# (glibc 2.31), cached in target/bullseye-root (about 1.5 minutes to make,
# seconds after); part of test-dist, also alone here.
test-glibc-bullseye:
	tests/dist/bullseye.sh

# The Windows x64/x86 packages under wine 8 and the arm64 one under qemu-user
# (tests/dist/cross.sh, docs/platforms.md); part of test-dist, also alone here
# on what `make dist` wrote.
test-cross:
	tests/dist/cross.sh
