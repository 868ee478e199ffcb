//! `jsonwebtoken::decode` with its RustCrypto provider (see common/mod.rs).

use criterion::{criterion_group, criterion_main, Criterion};

mod common;

fn bench(c: &mut Criterion) {
    common::bench(c, "rustcrypto");
}

criterion_group!(benches, bench);
criterion_main!(benches);
