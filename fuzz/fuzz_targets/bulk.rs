#![no_main]
//! cargo-fuzz target `bulk`: the body is targets::bulk, shared with tests/fuzz.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::bulk(data));
