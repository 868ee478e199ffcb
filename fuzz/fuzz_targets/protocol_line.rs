//! Fuzz target `protocol_line`: see crates/fuzz-targets/src/protocol.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jwtc_fuzz_targets::run("protocol_line", data);
});
