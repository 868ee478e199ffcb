#!/bin/bash -eu
# OSS-Fuzz's build for jwtc: the repository's own build script, so ClusterFuzzLite and
# OSS-Fuzz build the same targets, dictionaries and seed corpora.
exec "$SRC/jwtc/.clusterfuzzlite/build.sh"
