#!/usr/bin/env bash
# e2e.libc_zstd: zstd's default API in libc mode (issue 17). zstd 1.5's
# sources from the zstd-sys crate (tests/rust/zstd-sources, fetched by cargo)
# are compiled as a C library is, with the stack protector, for linux/amd64
# and linux/arm64; one `generate --libc dynamic` run over zstd.h binds every
# function it declares, the allocating ZSTD_compress/ZSTD_decompress
# included; and round trips are checked against github.com/klauspost/compress
# on both targets, built with CC=false CGO_ENABLED=0.
#
# One define: -DZSTD_NO_TRACE. zstd otherwise references its trace hooks as
# weak undefined symbols (ZSTD_trace_compress_begin, ...), which a static
# link resolves to NULL; gotramp rejects weak undefined references (Go's
# linker has no such resolution for a .syso), libc mode or not.
#
# Exits 77 (ctest: skipped) when cargo is not installed.
source "$(dirname "$0")/lib.sh"

if ! command -v cargo >/dev/null; then
  echo "SKIP: cargo is not on PATH; it brings zstd's sources (the zstd-sys crate)"
  exit 77
fi
QEMU=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)

step "zstd's sources from the zstd-sys crate (cargo metadata --offline)"
zstd_lib

step "compile zstd's lib with the stack protector for both targets (2 jobs)"
for t in amd64:x86_64 arm64:aarch64; do
  printf '%s\n' -O2 -fPIC -fstack-protector-strong -ffunction-sections -fdata-sections \
    -fno-asynchronous-unwind-tables -DZSTD_NO_TRACE "--target=${t#*:}-linux-gnu" >"$WORK/flags.${t%%:*}"
done
compile_zstd "$WORK"
readelf -sW "$WORK/libzstd_amd64.a" >"$WORK/syms.txt"
grep -q ' __stack_chk_fail$' "$WORK/syms.txt" ||
  fail "precondition: zstd was not compiled with the stack protector"

step "one generate --libc dynamic run over zstd.h for both targets"
new_libc_module "$WORK/mod" e2e.test/libczstd
OUT=$WORK/mod/zstd
cd "$LIB"
run_gotramp "$WORK/gen" generate --libc dynamic --header zstd.h --package zstd --out "$OUT" \
  --target linux/amd64 --target linux/arm64 \
  --object "linux/amd64=$WORK/libzstd_amd64.a" --object "linux/arm64=$WORK/libzstd_arm64.a"
expect_ok "$WORK/gen" "generate --libc dynamic over zstd.h"
expect_not_in "$WORK/gen.err" "zstd.h in libc mode" "skipping" "warning"
for name in ZSTD_compress ZSTD_decompress ZSTD_createCCtx ZSTD_createDStream; do
  grep -q "^// C: [^(]*\b$name(" "$OUT/zstd.go" || fail "$name is not bound"
done
for arch in amd64 arm64; do
  for sym in malloc free calloc; do
    grep -q "^//go:cgo_import_dynamic $sym $sym#GLIBC_" "$OUT/zstd_dynimport_linux_$arch.go" ||
      fail "zstd_dynimport_linux_$arch.go does not import $sym"
  done
done
cp "$SRC/tests/libc/zstd_test.go.txt" "$OUT/zstd_test.go"
unformatted=$(gofmt -l "$OUT")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"

cd "$WORK/mod"
step "go vet on both targets"
CGO_ENABLED=0 go vet ./zstd || fail "go vet fails (amd64)"
CGO_ENABLED=0 GOARCH=arm64 go vet ./zstd || fail "go vet fails (arm64)"
step "linux/amd64, CGO_ENABLED=0, CC=false: round trips against klauspost/compress"
CGO_ENABLED=0 CC=false go test -c -o "$WORK/amd64.test" ./zstd || fail "cannot build the amd64 test without a C toolchain"
readelf -dW "$WORK/amd64.test" | grep -c 'NEEDED.*\[libc.so.6\]' >/dev/null || fail "the amd64 test binary does not need libc.so.6"
"$WORK/amd64.test" -test.count=1 -test.v || fail "the amd64 zstd test failed"
step "linux/arm64 under qemu, CGO_ENABLED=0, CC=false"
CGO_ENABLED=0 CC=false GOARCH=arm64 go test -c -o "$WORK/arm64.test" ./zstd ||
  fail "cannot build the arm64 test without a C toolchain"
"${QEMU[@]}" "$WORK/arm64.test" -test.count=1 -test.v || fail "the arm64 zstd test failed under qemu"
step "linux/amd64 with cgo on"
CGO_ENABLED=1 go test -count=1 ./zstd || fail "the amd64 zstd test fails with CGO_ENABLED=1"

step "callbacks: a Go allocator handed to zstd (ZSTD_customMem)"
# ZSTD_customMem is in zstd.h's static-linking-only part. ZSTD_createCCtx_advanced
# takes it by value, so its function-pointer fields give it the callback path;
# the contexts allocate and free through it later, so the functions that use
# and free them get the path from the config.
ZOUT=$WORK/mod/zcb
cat >"$WORK/zcb.json" <<EOF
{"libc": "dynamic", "headers": ["$LIB/zstd.h"], "package": "zcb",
 "clang_args": ["-DZSTD_STATIC_LINKING_ONLY"],
 "targets": ["linux/amd64", "linux/arm64"],
 "objects": ["linux/amd64=$WORK/libzstd_amd64.a", "linux/arm64=$WORK/libzstd_arm64.a"],
 "functions": {
   "include": ["^ZSTD_(alloc|free)Function$", "^ZSTD_(create|free)[CD]Ctx(_advanced)?$", "^ZSTD_(compressCCtx|decompressDCtx|compressBound|isError|getErrorName)$"],
   "overrides": {
     "ZSTD_compressCCtx": {"call_path": "callback"}, "ZSTD_freeCCtx": {"call_path": "callback"},
     "ZSTD_decompressDCtx": {"call_path": "callback"}, "ZSTD_freeDCtx": {"call_path": "callback"}}}}
EOF
run_gotramp "$WORK/genz" generate --config "$WORK/zcb.json" --out "$ZOUT"
expect_ok "$WORK/genz" "generate over zstd.h with ZSTD_customMem"
expect_call_path "$ZOUT" ZSTD_createCCtx_advanced callback
expect_in "$ZOUT/zcb.go" "the allocator's constructors" "func NewZSTDAllocFunction(" "func NewZSTDFreeFunction("
cp "$SRC/tests/libc/zstd_callbacks_test.go.txt" "$ZOUT/zcb_test.go"
check_libc_package zcb "zstd allocator test"
echo "PASS"
