#!/usr/bin/env bash
# Installs what gotramp needs on Debian 12: LLVM/Clang 19 (libraries, headers,
# clang, ld.lld), nlohmann-json, GoogleTest, CMake, Ninja, and qemu-user-static
# for arm64 tests, and, when rustup is there, the Rust standard library for
# both targets. Go (>= 1.23) must already be on PATH. Safe to run again:
# it installs only what is missing.
set -euo pipefail

# ca-certificates: scripts/test.sh runs go mod download and cargo fetch over
# HTTPS; a minimal Debian 12 has no CA bundle, and both then fail with
# "x509: certificate signed by unknown authority".
# libclang-rt-19-dev: libFuzzer and the sanitizer runtimes for the fuzz.objects
# test (clang-19 pulls it in today, through libclang-common-19-dev; named
# here so that stays true).
# libc6-arm64-cross: the arm64 glibc libc mode reads symbol versions from and
# qemu runs arm64 binaries with. liblz4-dev, zlib1g-dev: Debian's own prebuilt
# liblz4.a and libz.a, which e2e.libc_debian binds unmodified. libsqlite3-dev,
# libzstd-dev: sqlite3.h and zstd.h (with libsqlite3-0 and libzstd1, whose
# shared libraries e2e.shared_libraries calls, as it does zlib1g's). Never install
# their :arm64 twins here: they need multiarch libc6:arm64 in
# /lib/aarch64-linux-gnu, whose newer point release the cross loader of
# `qemu-aarch64-static -L /usr/aarch64-linux-gnu` then picks up, hanging every
# arm64 binary. scripts/fetch-debian-arm64.sh downloads them instead.
# valgrind: callgrind counts bench/workloads' instructions per operation
# (bench/workloads/instructions.sh; bench.workloads_quick runs it).
packages=(llvm-19-dev libclang-19-dev clang-19 lld-19 libclang-rt-19-dev nlohmann-json3-dev libgtest-dev
          cmake ninja-build gcc g++ file qemu-user-static python3
          gcc-aarch64-linux-gnu libc6-arm64-cross libxxhash-dev ca-certificates
          liblz4-dev zlib1g-dev libsqlite3-dev libzstd-dev valgrind)
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null; then
  echo "error: Go is not on PATH; install Go 1.23 or newer" >&2
  exit 1
fi
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
if [ "$go_minor" -lt 23 ]; then
  echo "error: gotramp needs Go 1.23 or newer, found $(go env GOVERSION)" >&2
  exit 1
fi

# Rust (optional: the Rust tests and examples/rust-ed25519 are skipped without
# cargo): the standard library for both Go targets, so the cargo build hook
# (runtime-shims/rust/cargo-gotramp.sh) can build linux/amd64 and linux/arm64.
if command -v rustup >/dev/null; then
  installed=$(rustup target list --installed)
  for triple in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu; do
    grep -qx "$triple" <<<"$installed" || rustup target add "$triple"
  done
elif command -v cargo >/dev/null; then
  echo "note: cargo without rustup: make sure the Rust standard library for" \
       "aarch64-unknown-linux-gnu is installed, or the Rust tests fail on linux/arm64" >&2
fi
