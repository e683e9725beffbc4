#![no_main]
//! cargo-fuzz target `answers`: the body is targets::answers, shared with tests/fuzz.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::answers(data));
