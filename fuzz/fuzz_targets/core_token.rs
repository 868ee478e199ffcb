//! Fuzz target `core_token`: see crates/fuzz-targets/src/lib.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jwtc_fuzz_targets::run("core_token", data);
});
