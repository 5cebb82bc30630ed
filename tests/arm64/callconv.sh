#!/usr/bin/env bash
# arm64.callconv: trampolines for signatures with stack arguments (every
# scalar width in registers and in stack slots), the stack pointer's
# alignment at the call, and the frame pointers Go saves around a
# trampoline's frame, checked on linux/amd64 and linux/arm64 (qemu-user).
# See testdata/callconv/callconv.h and callconv_test.go.
source "$(dirname "$0")/lib.sh"

DATA=$HERE/testdata/callconv
MOD=$WORK/mod

step "compile testdata/callconv/callconv.c for both targets"
for arch in amd64 arm64; do
  compile "$arch" "$DATA/callconv.c" "$WORK/callconv_$arch.o"
done

step "gotramp generate --target linux/amd64 --target linux/arm64"
mkdir -p "$MOD"
# Generated packages import runtime-shims/go/shim (crash reports).
printf 'module gotramp.test/callconv\n\ngo 1.23\n\nrequire github.com/gotramp/gotramp/runtime-shims/go v0.1.0\nreplace github.com/gotramp/gotramp/runtime-shims/go => %s/runtime-shims/go\n' \
  "$SRC" >"$MOD/go.mod"
# Explicit budgets: nest is recursive (its bound is unknown), and scribble is
# hand-written assembly that fills its budget below SP on purpose, which the
# analysis (rightly) does not model for C code.
generate_both "$DATA/callconv.h" "$WORK/callconv_amd64.o" "$WORK/callconv_arm64.o" \
  callconv "$MOD/callconv" --config "$DATA/gotramp.json"
grep -q "callconv: 6 function(s) bound, 0 skipped" "$WORK/callconv.gen.err" ||
  fail "expected every function of callconv.h to be bound"
no_x28 "$MOD/callconv/callconv_linux_arm64.syso"
cp "$DATA/callconv_test.go" "$MOD/callconv/"

vet_and_test "$MOD" callconv
echo "PASS"
