#![no_main]
//! cargo-fuzz target `notify_signed`: the body is targets::notify_signed, shared with tests/fuzz.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::notify_signed(data));
