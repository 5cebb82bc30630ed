#!/usr/bin/env bash
# e2e.libc_debian: Debian's own prebuilt liblz4.a (liblz4-dev) and libz.a
# (zlib1g-dev), unmodified (built with the stack protector and
# _FORTIFY_SOURCE: __stack_chk_fail, __snprintf_chk), bound with
# --libc dynamic from their installed headers and checked against
# github.com/pierrec/lz4/v4 and compress/zlib (round trips both ways, crc32,
# several goroutines at once), built with CC=false CGO_ENABLED=0 and with cgo.
# linux/amd64 only: Debian's arm64 .a files come with multiarch libc6:arm64,
# which breaks `qemu-aarch64-static -L /usr/aarch64-linux-gnu` on this machine
# (scripts/install-deps.sh says how); libc mode on arm64 is covered by
# e2e.libc_mode and e2e.libc_zstd.
source "$(dirname "$0")/lib.sh"

LIBDIR=/usr/lib/x86_64-linux-gnu
for f in "$LIBDIR/liblz4.a" "$LIBDIR/libz.a" /usr/include/lz4.h /usr/include/lz4frame.h /usr/include/zlib.h; do
  [ -f "$f" ] || fail "$f is missing (apt-get install liblz4-dev zlib1g-dev; scripts/install-deps.sh)"
done
readelf -sW "$LIBDIR/libz.a" >"$WORK/syms.txt"
grep -q ' __stack_chk_fail$' "$WORK/syms.txt" && grep -q ' __snprintf_chk$' "$WORK/syms.txt" ||
  fail "precondition: Debian's libz.a no longer uses the stack protector and _FORTIFY_SOURCE"

new_libc_module "$WORK/mod" e2e.test/libcdebian
step "generate --libc dynamic: lz4.h and lz4frame.h over liblz4.a"
run_gotramp "$WORK/lz4" generate --libc dynamic --header /usr/include/lz4.h \
  --header /usr/include/lz4frame.h --object "$LIBDIR/liblz4.a" --package lz4 --out "$WORK/mod/lz4"
expect_ok "$WORK/lz4" "generate over liblz4.a"
expect_not_in "$WORK/lz4.err" "liblz4.a in libc mode" "skipping"
expect_in "$WORK/mod/lz4/lz4_dynimport_linux_amd64.go" "lz4 glue" \
  '//go:cgo_import_dynamic calloc calloc#GLIBC_2.2.5 "libc.so.6"'

step "generate --libc dynamic: zlib.h over libz.a"
run_gotramp "$WORK/zlib" generate --libc dynamic --header /usr/include/zlib.h \
  --object "$LIBDIR/libz.a" --package zlib --out "$WORK/mod/zlib"
expect_ok "$WORK/zlib" "generate over libz.a"
# What is skipped has nothing to do with libc: a variadic function without
# call shapes and a Go name clash.
skipped=$(json "$WORK/mod/zlib/gotramp-report.json" '" ".join(sorted(s["c_name"] for s in r["skipped"]))')
[ "$skipped" = "gzgetc_ gzprintf" ] || fail "zlib: skipped '$skipped', want only gzgetc_ and gzprintf"
expect_in "$WORK/mod/zlib/zlib_dynimport_linux_amd64.go" "zlib glue" \
  '//go:cgo_import_dynamic __snprintf_chk __snprintf_chk#GLIBC_2.3.4 "libc.so.6"' \
  '//go:cgo_import_dynamic malloc malloc#GLIBC_2.2.5 "libc.so.6"'

cp "$SRC/tests/libc/lz4_test.go.txt" "$WORK/mod/lz4/lz4_test.go"
cp "$SRC/tests/libc/zlib_test.go.txt" "$WORK/mod/zlib/zlib_test.go"
unformatted=$(gofmt -l "$WORK/mod")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"
cd "$WORK/mod"
CGO_ENABLED=0 go vet ./lz4 ./zlib || fail "go vet fails"
for pkg in lz4 zlib; do
  step "$pkg: CGO_ENABLED=0, CC=false, against the pure-Go implementation"
  CGO_ENABLED=0 CC=false go test -c -o "$WORK/$pkg.test" "./$pkg" || fail "cannot build the $pkg test without a C toolchain"
  readelf -dW "$WORK/$pkg.test" | grep -c 'NEEDED.*\[libc.so.6\]' >/dev/null || fail "the $pkg test binary does not need libc.so.6"
  "$WORK/$pkg.test" -test.count=1 -test.v || fail "the $pkg test failed"
done
step "both with cgo on"
CGO_ENABLED=1 go test -count=1 ./lz4 ./zlib || fail "the tests fail with CGO_ENABLED=1"
echo "PASS"
