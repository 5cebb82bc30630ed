#!/bin/bash
# examples/rust-ed25519 end to end (linux/amd64 and linux/arm64): builds the
# Rust crate (curve25519-dalek from crates.io) for both targets through the
# cargo build hook in a copy of the example, regenerates the Go package from
# the staticlibs alone, checks the result is byte-identical to the committed
# files, then runs go vet and the package's tests (against
# filippo.io/edwards25519) with CGO_ENABLED=0, natively and under
# qemu-aarch64-static.
#
#   bash tests/e2e/rust_ed25519.sh GOTRAMP CLANG SOURCE_DIR
#
# ED25519_CARGO_TARGET_DIR (default: in the temporary directory) keeps cargo's
# build between runs.
source "$(dirname "$0")/lib.sh"

command -v cargo >/dev/null || fail "cargo is not on PATH"
command -v qemu-aarch64-static >/dev/null ||
  fail "qemu-aarch64-static is not on PATH (Debian: qemu-user-static; scripts/install-deps.sh)"
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
ex=$SRC/examples/rust-ed25519
target_dir=${ED25519_CARGO_TARGET_DIR:-$WORK/target}

step "copy the example"
copy=$WORK/src/examples/rust-ed25519
mkdir -p "$copy" "$WORK/src/runtime-shims"
cp -r "$SRC/runtime-shims/rust" "$WORK/src/runtime-shims/"
cp "$ex/generate.sh" "$copy/"
mkdir -p "$copy/native" "$copy/ed25519"
cp -r "$ex/native/Cargo.toml" "$ex/native/Cargo.lock" "$ex/native/src" "$copy/native/"
cp "$ex/ed25519/gotramp.json" "$copy/ed25519/"

generated=(ed25519.go gotramp-report.json)
for arch in amd64 arm64; do
  generated+=("ed25519_linux_$arch.s" "ed25519_linux_$arch.syso"
    "ed25519_symbols_linux_$arch.go")
done

step "cargo build through the hook, gotramp generate (twice)"
for run in 1 2; do
  rm -f "${generated[@]/#/$copy/ed25519/}"
  GOTRAMP=$GOTRAMP CARGO_TARGET_DIR=$target_dir sh "$copy/generate.sh" \
    >"$WORK/gen$run.log" 2>&1 || { cat "$WORK/gen$run.log" >&2; fail "generate.sh (run $run)"; }
  mkdir -p "$WORK/out$run"
  for f in "${generated[@]}"; do
    [ -f "$copy/ed25519/$f" ] || fail "run $run did not write $f"
    cp "$copy/ed25519/$f" "$WORK/out$run/"
  done
done
grep -q "2 function(s) bound, 0 skipped" "$WORK/gen1.log" ||
  { cat "$WORK/gen1.log" >&2; fail "expected 2 bound functions"; }

step "reproducible and identical to the committed files"
for f in "${generated[@]}"; do
  cmp "$WORK/out1/$f" "$WORK/out2/$f" || fail "$f differs between two runs"
  cmp "$WORK/out1/$f" "$ex/ed25519/$f" ||
    fail "$f differs from examples/rust-ed25519/ed25519/$f; regenerate with examples/rust-ed25519/generate.sh"
done
# Only the generated files may differ between a fresh run and the tree.
for f in "$ex/ed25519/"*; do
  case $(basename "$f") in
  ed25519_test.go | api.go | generate.go | gotramp.json) ;;
  *) [ -f "$WORK/out1/$(basename "$f")" ] || fail "unexpected file $(basename "$f") in the package" ;;
  esac
done

step "go vet and go test (CGO_ENABLED=0), linux/amd64: a static binary"
cd "$SRC"
test -z "$(gofmt -l examples/rust-ed25519)" || { gofmt -l examples/rust-ed25519; fail "gofmt"; }
CGO_ENABLED=0 go vet ./examples/rust-ed25519/...
CGO_ENABLED=0 go test -count=1 ./examples/rust-ed25519/...
# The GOT slot (and on arm64 .data.rel.ro) is relocated at init: no libc.
for arch in amd64 arm64; do
  CGO_ENABLED=0 GOARCH=$arch go test -c -o "$WORK/ed25519_$arch.test" ./examples/rust-ed25519/ed25519
  is_static "$WORK/ed25519_$arch.test" || fail "the linux/$arch test binary is not statically linked"
  "$GOTRAMP" verify "$WORK/ed25519_$arch.test" || fail "gotramp verify fails on the linux/$arch test binary"
done

step "go vet and go test (CGO_ENABLED=0), linux/arm64 under qemu-aarch64-static"
CGO_ENABLED=0 GOARCH=arm64 go vet ./examples/rust-ed25519/...
CGO_ENABLED=0 GOARCH=arm64 go test -count=1 -exec qemu-aarch64-static ./examples/rust-ed25519/...
echo "PASS"
