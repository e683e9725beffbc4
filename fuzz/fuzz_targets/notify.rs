#![no_main]
//! cargo-fuzz target `notify`: the body is targets::notify, shared with tests/fuzz.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::notify(data));
