# The two commands of the README: `make demo` and `make test`.
CARGO ?= cargo

.PHONY: test test-rust demo bench
test: test-rust

test-rust:
	$(CARGO) test --all-features

demo:
	$(CARGO) run --quiet --example sign_order

bench:
	$(CARGO) bench --bench core
