#!/usr/bin/env bash
# arm64.mathlib: examples/mathlib, generated for linux/amd64 and linux/arm64
# in one run into a copy of the example (the committed files are not
# touched), passes gofmt, go vet for both GOARCHes, and its hand-written
# mathlib_test.go on both: natively and under qemu-aarch64-static.
source "$(dirname "$0")/lib.sh"

EXAMPLE=$SRC/examples/mathlib
ROOT=$WORK/repo
PKG=$ROOT/examples/mathlib/mathlib

step "copy examples/mathlib and drop its generated files"
mkdir -p "$ROOT/examples"
cp "$SRC/go.mod" "$ROOT/"
cp -R "$EXAMPLE" "$ROOT/examples/mathlib"
mkdir -p "$ROOT/runtime-shims" # generated packages import runtime-shims/go/shim
cp -R "$SRC/runtime-shims/go" "$ROOT/runtime-shims/go"
rm -f "$PKG"/mathlib.go "$PKG"/mathlib_linux_*.s "$PKG"/mathlib_linux_*.syso \
  "$PKG"/mathlib_dynimport_*.go "$PKG"/mathlib_symbols_*.go "$PKG"/gotramp-report.json
[ -f "$PKG/mathlib_test.go" ] || fail "examples/mathlib/mathlib/mathlib_test.go is missing"

step "compile native/mathlib.c for both targets"
for arch in amd64 arm64; do
  compile "$arch" "$EXAMPLE/native/mathlib.c" "$WORK/mathlib_$arch.o"
done

step "gotramp generate --target linux/amd64 --target linux/arm64"
# fib is recursive (unknown stack bound): give it the example config's budget.
generate_both "$ROOT/examples/mathlib/native/mathlib.h" "$WORK/mathlib_amd64.o" \
  "$WORK/mathlib_arm64.o" mathlib "$PKG" --frame-bytes 8192
grep -q "mathlib: 20 function(s) bound, 1 skipped, for linux/amd64 linux/arm64" \
  "$WORK/mathlib.gen.err" || fail "expected 20 functions bound and mathlib_ld_half skipped"
[ ! -e "$PKG/mathlib_dynimport_linux_arm64.go" ] ||
  fail "the arm64 code did not pack into a static blob (dynamic-import glue written)"
no_x28 "$PKG/mathlib_linux_arm64.syso"

vet_and_test "$ROOT" examples/mathlib/mathlib
echo "PASS"
