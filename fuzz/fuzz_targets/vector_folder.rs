//! Fuzz target `vector_folder`: see crates/fuzz-targets/src/folder.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jwtc_fuzz_targets::run("vector_folder", data);
});
