#![no_main]
//! cargo-fuzz target `form`: the body is targets::form, shared with tests/fuzz.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::form(data));
