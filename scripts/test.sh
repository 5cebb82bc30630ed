#!/usr/bin/env bash
# The whole test suite: install, build, then GoogleTest unit tests, golden
# tests and end-to-end tests (generate, go vet, build and run real native code)
# through ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
# The tests build Go code offline (GOPROXY=off) so they cannot hang on the
# network; fetch the modules and crates they use while the network is allowed.
(cd "$root" && go mod download)
# The Go toolchains the runtime-facing tests also run on (GOTRAMP_OLD_GO,
# GOTRAMP_NEW_GO; .ci/run sets both), into the module cache.
for v in ${GOTRAMP_OLD_GO:-} ${GOTRAMP_NEW_GO:-}; do
  (cd "$root" && GOTOOLCHAIN=$v go version)
done
# bench/ and tests/libc/ pin the purego that libc mode's tests use, and the
# pure-Go libraries they are checked against.
(cd "$root/bench" && go mod download)
(cd "$root/tests/libc" && go mod download)
# The link matrix's program pins the same purego for its libc package.
(cd "$root/tests/linkmatrix/testdata/prog" && go mod download)
# bench/workloads: pure-Go lz4, zstd and SQLite, and mattn/go-sqlite3.
(cd "$root/bench/workloads" && go mod download)
# e2e.libc_debian's arm64 liblz4.a and libz.a: Debian's arm64 builds of the
# installed liblz4-dev and zlib1g-dev, downloaded (not installed) once per
# version into ~/.cache/gotramp.
"$root/scripts/fetch-debian-arm64.sh"
if command -v cargo >/dev/null; then
  for manifest in examples/rust-ed25519/native/Cargo.toml tests/rust/ffi/Cargo.toml \
    tests/rust/zstd-sources/Cargo.toml tests/rust/sqlite-sources/Cargo.toml bench/workloads/sources/Cargo.toml; do
    cargo fetch --quiet --manifest-path "$root/$manifest"
  done
fi
ctest --test-dir "$root/build" --output-on-failure -j2
