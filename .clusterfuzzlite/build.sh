#!/bin/bash -eu
# Builds jwtc's fuzz targets for ClusterFuzzLite and OSS-Fuzz (oss-fuzz/projects/jwtc runs
# this file): every [[bin]] of fuzz/Cargo.toml into $OUT, each with the JOSE dictionary
# ($OUT/<target>.dict) and, where the vectors give one, a seed corpus
# ($OUT/<target>_seed_corpus.zip). The same targets as `cargo xtask fuzz`.
# Without Docker: docs/fuzzing.md § "build.sh without Docker".
cd "$SRC/jwtc"

# The seed corpora (fuzz/corpus/<target>/) from the vectors. xtask is a host tool: it is
# built without the image's fuzzing RUSTFLAGS.
RUSTFLAGS="" cargo run --quiet --locked --package xtask -- fuzz --seed

cd fuzz
# $SANITIZER comes from the image: address (cargo-fuzz's default), or coverage (the image's
# cargo wrapper turns `cargo fuzz build` into a coverage build). `none`: no sanitizer, on
# a stable toolchain (the local stand-in, when AddressSanitizer is not available).
if [ "${SANITIZER:-address}" = "none" ]; then
  cargo fuzz build -O --debug-assertions --sanitizer none
else
  cargo fuzz build -O --debug-assertions
fi

bin_dir="${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release"
targets=$(grep -A1 '^\[\[bin\]\]' Cargo.toml | sed -n 's/^name = "\(.*\)"/\1/p')
for t in $targets; do
  cp "$bin_dir/$t" "$OUT/"
  cp jose.dict "$OUT/$t.dict"
  if [ -d "corpus/$t" ] && [ -n "$(ls -A "corpus/$t")" ]; then
    rm -f "$OUT/${t}_seed_corpus.zip"
    (cd "corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  fi
done
