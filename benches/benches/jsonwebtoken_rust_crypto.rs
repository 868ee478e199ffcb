//! `jsonwebtoken::decode` with its RustCrypto provider (see common/mod.rs).

use criterion::{criterion_group, criterion_main, Criterion};

mod common;

fn bench(c: &mut Criterion) {
    jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER
        .install_default()
        .expect("the first provider installed in this process");
    common::bench(c, "rustcrypto");
}

criterion_group!(benches, bench);
criterion_main!(benches);
