# The two commands of the README: `make demo` and `make test`.
# Each language's suite has its own target below; `make test` runs them all.
CARGO ?= cargo
LIBDIR := $(CURDIR)/target/debug

.PHONY: test deps build test-rust test-c test-php test-python test-dotnet test-java demo bench
test: deps test-rust test-c test-php test-python test-dotnet test-java

deps:
	./scripts/install-deps.sh

# The shared library every binding loads (target/debug/libcmpay.so) and the CLI.
build:
	$(CARGO) build --all-features

test-rust:
	$(CARGO) test --all-features

# --- C ABI (issue 4): header check + C tests under valgrind ---
test-c: build

# --- PHP and Python bindings (issue 5) ---
test-php: build

test-python: build

# --- .NET and Java bindings (issue 6) ---
test-dotnet: build

test-java: build

demo:
	$(CARGO) run --quiet --example sign_order

bench:
	$(CARGO) bench --bench core
