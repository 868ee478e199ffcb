//! Fuzz target `pomerium_headers`: see crates/fuzz-targets/src/profiles.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jwtc_fuzz_targets::run("pomerium_headers", data);
});
