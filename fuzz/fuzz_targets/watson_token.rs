//! Fuzz target `watson_token`: see crates/fuzz-targets/src/profiles.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jwtc_fuzz_targets::run("watson_token", data);
});
