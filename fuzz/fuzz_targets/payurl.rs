#![no_main]
//! cargo-fuzz target `payurl`: the body is targets::payurl, shared with tests/fuzz.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::payurl(data));
