//! `jsonwebtoken::decode` on the bench tokens (`jwtc_benches::raw::jsonwebtoken`: one
//! `DecodingKey` made once, claims into `serde_json::Value`). jsonwebtoken takes its crypto
//! backend from a process-wide provider that can be installed once, hence one bench binary
//! per backend.

use criterion::{BenchmarkId, Criterion};

use jwtc_benches as fx;
use jwtc_verifier::Alg;

/// Installs `backend`'s provider and benches `decode` for HS256, RS256 and ES256 under the
/// ids `<ALG>/jsonwebtoken/<backend>`.
pub fn bench(c: &mut Criterion, backend: &str) {
    fx::raw::install_jsonwebtoken(backend);
    for alg in [Alg::HS256, Alg::RS256, Alg::ES256] {
        let body = fx::raw::jsonwebtoken(alg);
        assert!(body(), "jsonwebtoken ({backend}) refuses the {alg} token");
        let mut g = c.benchmark_group(alg.name());
        g.bench_function(BenchmarkId::new("jsonwebtoken", backend), |b| b.iter(&body));
        g.finish();
    }
}
