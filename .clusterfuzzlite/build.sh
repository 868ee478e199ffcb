#!/bin/bash -eu
# Builds jwtc's fuzz targets for ClusterFuzzLite / OSS-Fuzz: the same targets as
# `cargo xtask fuzz`, each with the JOSE dictionary and a seed corpus made from the vectors.
cd "$SRC/jwtc"
cargo run --quiet --package xtask -- fuzz --seed
cd fuzz
cargo fuzz build -O --debug-assertions
targets=$(grep -A1 '^\[\[bin\]\]' Cargo.toml | sed -n 's/^name = "\(.*\)"/\1/p')
for t in $targets; do
  cp "target/x86_64-unknown-linux-gnu/release/$t" "$OUT/"
  cp jose.dict "$OUT/$t.dict"
  if [ -d "corpus/$t" ] && [ -n "$(ls -A "corpus/$t")" ]; then
    (cd "corpus/$t" && zip -q -r "$OUT/${t}_seed_corpus.zip" .)
  fi
done
