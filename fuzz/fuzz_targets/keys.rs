#![no_main]
//! cargo-fuzz target `keys`: the body is targets::keys, shared with tests/fuzz.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::keys(data));
