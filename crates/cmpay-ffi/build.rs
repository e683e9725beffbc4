//! Generates include/cmpay.h from src/ with the pinned cbindgen.
//! `make test-c` checks that the committed header equals this output.

use std::path::Path;

const PREAMBLE: &str = r#"/*
 * cmpay.h: the C ABI of libcmpay, the merchant side of China Mobile's CMPay
 * (和包) payment gateway. Generated from crates/cmpay-ffi/src/ by cbindgen; do not edit.
 *
 * Conventions
 * - Every fallible function returns a cmpay_status. Outputs are written only
 *   when it is CMPAY_OK; after any other status cmpay_last_error() (and
 *   cmpay_last_error_return_code(), cmpay_last_error_field()) say why, on the
 *   calling thread, until its next cmpay_ call that returns a status.
 * - Strings in are NUL-terminated UTF-8: NULL gives CMPAY_NULL_POINTER,
 *   invalid UTF-8 gives CMPAY_INVALID_UTF8 (text is never altered).
 * - Bodies, key bytes and bulk parameters in are (const uint8_t *, size_t);
 *   NULL with length 0 means empty. Field lists cross the ABI in one
 *   carrier, both ways: NUL pairs "name\0value\0name\0value\0" (UTF-8,
 *   every name and value followed by one NUL, so "fee\0\0" is an empty
 *   value, no escaping), so a message crosses the ABI in one call. Bulk
 *   parameters in are NUL pairs only (a form body "name=value&..." is
 *   refused with CMPAY_INVALID_ARGUMENT); the *_fields_into functions hand
 *   a message's fields out the same way. At most 256 pairs. Only a body
 *   that goes on the wire (cmpay_signed_request_body) is a form body.
 * - Owned strings out come through char ** and are freed only with
 *   cmpay_string_free (never free(), FFI::free or the host's allocator).
 *   The *_into functions write into the caller's (char *buf, size_t buf_len)
 *   instead, nothing to free: their size_t *needed gets the bytes the output
 *   takes (NULs included) on CMPAY_OK and on CMPAY_BUFFER_TOO_SMALL, when
 *   buf is left untouched (never a truncated value; NULL, 0 asks the size).
 * - Handles are opaque; cmpay_<noun>_free(NULL) is a no-op.
 * - Message kinds are the strings "order-request", "order-response",
 *   "notify", "query-request", "query-response", "refund-request",
 *   "refund-response".
 * - A panic inside the library becomes CMPAY_PANIC; it never unwinds into,
 *   or aborts, the host.
 *
 * Threads
 * - cmpay_merchant, cmpay_client, cmpay_signed_request, cmpay_response and
 *   cmpay_notification are immutable once made: one handle may be used by
 *   any number of threads at once (share one client per process). Only its
 *   _free must not race with other use.
 * - cmpay_sandbox (an in-process gateway simulator for tests) may be used by
 *   any number of threads at once; cmpay_sandbox_free stops it.
 * - cmpay_config is not thread-safe: build it on one thread, pass it to
 *   cmpay_client_new (which copies it), then free it.
 * - The last error is per thread.
 *
 * The status numbers are stable and only ever appended; every #define below
 * also has a function (cmpay_version), because FFI hosts cannot see macros.
 */"#;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CMPAY_SONAME");

    // `make dist` sets CMPAY_SONAME=1: the packaged libcmpay.so then carries
    // the ABI's SONAME (libcmpay.so.MAJOR, or libcmpay.so.0.MINOR while the
    // major is 0, as semver gives 0.x releases). Development builds keep none,
    // so tests linking target/debug/libcmpay.so need no versioned link.
    if std::env::var_os("CMPAY_SONAME").is_some_and(|v| v == "1") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{}", soname());
    }

    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let mut config =
        cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml is readable");
    let env = |name: &str| std::env::var(name).expect("cargo sets the package version");
    config.header = Some(PREAMBLE.to_string());
    config.after_includes = Some(format!(
        "\n#define CMPAY_VERSION \"{}\"\n#define CMPAY_VERSION_MAJOR {}\n#define CMPAY_VERSION_MINOR {}\n#define CMPAY_VERSION_PATCH {}",
        env("CARGO_PKG_VERSION"),
        env("CARGO_PKG_VERSION_MAJOR"),
        env("CARGO_PKG_VERSION_MINOR"),
        env("CARGO_PKG_VERSION_PATCH"),
    ));
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/lib.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen could not generate include/cmpay.h from src/: {e}"));
    // Writes only when the text changed, so an unchanged header keeps its mtime.
    bindings.write_to_file(root.join("include/cmpay.h"));
}

/// The SONAME of the packaged library (scripts/dist/common.sh reads it back
/// from the built file).
fn soname() -> String {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").expect("cargo sets the version");
    if major == "0" {
        format!("libcmpay.so.0.{minor}")
    } else {
        format!("libcmpay.so.{major}")
    }
}
