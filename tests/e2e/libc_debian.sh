#!/usr/bin/env bash
# e2e.libc_debian: Debian's own prebuilt liblz4.a (liblz4-dev) and libz.a
# (zlib1g-dev), unmodified (built with the stack protector and
# _FORTIFY_SOURCE: __stack_chk_fail, __snprintf_chk), bound with
# --libc dynamic from their installed headers for linux/amd64 and
# linux/arm64 in one run, and checked against github.com/pierrec/lz4/v4 and
# compress/zlib (round trips both ways, crc32, several goroutines at once):
# on amd64 built with CC=false CGO_ENABLED=0 and with cgo, on arm64 built
# with CC=false CGO_ENABLED=0 and run under qemu-aarch64-static -L
# /usr/aarch64-linux-gnu.
#
# The amd64 packages are installed (scripts/install-deps.sh). The arm64 ones
# are Debian's arm64 builds of the same versions, downloaded and unpacked
# into a cache outside the repository by scripts/fetch-debian-arm64.sh
# (scripts/test.sh runs it), never installed: installing them through
# multiarch pulls in libc6:arm64 in /lib/aarch64-linux-gnu, which the cross
# loader under qemu's -L then loads instead of the cross glibc (a newer
# point release than the loader: every arm64 binary hangs).
# Fails, naming that script, when they are not there. The skipped functions
# are checked exactly, so a glibc symbol that the arm64 archives need and
# the cross glibc (/usr/aarch64-linux-gnu/lib) lacks fails the test too.
source "$(dirname "$0")/lib.sh"

QEMU=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
AMD64_LIBDIR=/usr/lib/x86_64-linux-gnu
declare -A HEADERS=([liblz4-dev]="lz4.h lz4frame.h" [zlib1g-dev]="zlib.h zconf.h")
for f in "$AMD64_LIBDIR/liblz4.a" "$AMD64_LIBDIR/libz.a" /usr/include/{lz4.h,lz4frame.h,zlib.h,zconf.h}; do
  [ -f "$f" ] || fail "$f is missing (apt-get install liblz4-dev zlib1g-dev; scripts/install-deps.sh)"
done

step "Debian's arm64 builds of the installed amd64 versions"
fetched=$(bash "$SRC/scripts/fetch-debian-arm64.sh" --check) ||
  fail "Debian's arm64 liblz4-dev and zlib1g-dev are not fetched: run bash scripts/fetch-debian-arm64.sh"
declare -A A_NAME=([liblz4-dev]=liblz4.a [zlib1g-dev]=libz.a)
declare -A ARM64_A
while read -r pkg dir; do
  [ -n "${A_NAME[$pkg]:-}" ] || continue # fetched for e2e.shared_libraries
  amd64=$(dpkg-query -W -f='${Version}' "$pkg:amd64")
  deb=("$dir"/*_arm64.deb)
  [ -f "${deb[0]}" ] || fail "no arm64 archive of $pkg in $dir (rm -r it and run bash scripts/fetch-debian-arm64.sh)"
  control=$(dpkg-deb -f "${deb[0]}" Package Version Architecture | tr '\n' ' ')
  [ "$control" = "Package: $pkg Version: $amd64 Architecture: arm64 " ] ||
    fail "${deb[0]} is '$control'; want $pkg $amd64 for arm64, the amd64 version installed"
  echo "$pkg $amd64: amd64 installed, arm64 from ${deb[0]}"
  ARM64_A[$pkg]=$dir/root/usr/lib/aarch64-linux-gnu/${A_NAME[$pkg]}
  dpkg-deb --fsys-tarfile "${deb[0]}" | tar -xO "./usr/lib/aarch64-linux-gnu/${A_NAME[$pkg]}" >"$WORK/a" ||
    fail "${deb[0]} has no usr/lib/aarch64-linux-gnu/${A_NAME[$pkg]}"
  cmp -s "$WORK/a" "${ARM64_A[$pkg]}" ||
    fail "${ARM64_A[$pkg]} is not the one in ${deb[0]} (rm -r $dir and run bash scripts/fetch-debian-arm64.sh)"
  # One header set serves both targets.
  for h in ${HEADERS[$pkg]}; do
    cmp -s "$dir/root/usr/include/$h" "/usr/include/$h" ||
      fail "$h of $pkg:arm64 is missing or differs from /usr/include/$h"
  done
done <<<"$fetched"
[ ${#ARM64_A[@]} -eq 2 ] || fail "fetch-debian-arm64.sh --check named ${#ARM64_A[@]} packages, want 2"
declare -A LZ4_A=([amd64]=$AMD64_LIBDIR/liblz4.a [arm64]=${ARM64_A[liblz4-dev]})
declare -A Z_A=([amd64]=$AMD64_LIBDIR/libz.a [arm64]=${ARM64_A[zlib1g-dev]})

for arch in amd64 arm64; do
  machine=$([ "$arch" = amd64 ] && echo X86-64 || echo AArch64)
  for a in "${LZ4_A[$arch]}" "${Z_A[$arch]}"; do
    readelf -hW "$a" >"$WORK/header.txt" || fail "readelf cannot read $a"
    members=$(grep -c 'Machine:' "$WORK/header.txt" || true)
    [ "$members" -gt 0 ] && [ "$(grep -c "Machine: .*$machine\$" "$WORK/header.txt" || true)" -eq "$members" ] ||
      fail "$a is not an archive of $arch objects"
  done
  readelf -sW "${Z_A[$arch]}" >"$WORK/syms.txt"
  grep -q ' __stack_chk_fail$' "$WORK/syms.txt" && grep -q ' __snprintf_chk$' "$WORK/syms.txt" ||
    fail "precondition: Debian's $arch libz.a no longer uses the stack protector and _FORTIFY_SOURCE"
done

new_libc_module "$WORK/mod" e2e.test/libcdebian
TARGETS=(--target linux/amd64 --target linux/arm64)
step "generate --libc dynamic for both targets: lz4.h and lz4frame.h over liblz4.a"
run_gotramp "$WORK/lz4" generate --libc dynamic --header /usr/include/lz4.h \
  --header /usr/include/lz4frame.h "${TARGETS[@]}" --object "linux/amd64=${LZ4_A[amd64]}" \
  --object "linux/arm64=${LZ4_A[arm64]}" --package lz4 --out "$WORK/mod/lz4"
expect_ok "$WORK/lz4" "generate over liblz4.a"
expect_not_in "$WORK/lz4.err" "liblz4.a in libc mode" "skipping"
expect_in "$WORK/mod/lz4/lz4_dynimport_linux_amd64.go" "lz4 glue (amd64)" \
  '//go:cgo_import_dynamic calloc calloc#GLIBC_2.2.5 "libc.so.6"'
# arm64's guard is a variable in the dynamic loader, its baseline GLIBC_2.17.
expect_in "$WORK/mod/lz4/lz4_dynimport_linux_arm64.go" "lz4 glue (arm64)" \
  '//go:cgo_import_dynamic calloc calloc#GLIBC_2.17 "libc.so.6"' \
  '//go:cgo_import_dynamic __stack_chk_guard __stack_chk_guard#GLIBC_2.17 "ld-linux-aarch64.so.1"'

step "generate --libc dynamic for both targets: zlib.h over libz.a"
run_gotramp "$WORK/zlib" generate --libc dynamic --header /usr/include/zlib.h "${TARGETS[@]}" \
  --object "linux/amd64=${Z_A[amd64]}" --object "linux/arm64=${Z_A[arm64]}" \
  --package zlib --out "$WORK/mod/zlib"
expect_ok "$WORK/zlib" "generate over libz.a"
# What is skipped has nothing to do with libc: a variadic function without
# call shapes, a Go name clash, and gzvprintf, whose va_list is a pointer on
# amd64 and a struct on arm64, so one Go signature cannot serve both.
skipped=$(json "$WORK/mod/zlib/gotramp-report.json" '" ".join(sorted(s["c_name"] for s in r["skipped"]))')
[ "$skipped" = "gzgetc_ gzprintf gzvprintf" ] ||
  fail "zlib: skipped '$skipped', want only gzgetc_, gzprintf and gzvprintf"
expect_in "$WORK/mod/zlib/zlib_dynimport_linux_amd64.go" "zlib glue (amd64)" \
  '//go:cgo_import_dynamic __snprintf_chk __snprintf_chk#GLIBC_2.3.4 "libc.so.6"' \
  '//go:cgo_import_dynamic malloc malloc#GLIBC_2.2.5 "libc.so.6"'
expect_in "$WORK/mod/zlib/zlib_dynimport_linux_arm64.go" "zlib glue (arm64)" \
  '//go:cgo_import_dynamic __snprintf_chk __snprintf_chk#GLIBC_2.17 "libc.so.6"' \
  '//go:cgo_import_dynamic malloc malloc#GLIBC_2.17 "libc.so.6"'

cp "$SRC/tests/libc/lz4_test.go.txt" "$WORK/mod/lz4/lz4_test.go"
cp "$SRC/tests/libc/zlib_test.go.txt" "$WORK/mod/zlib/zlib_test.go"
unformatted=$(gofmt -l "$WORK/mod")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"
cd "$WORK/mod"
CGO_ENABLED=0 go vet ./lz4 ./zlib || fail "go vet fails (amd64)"
CGO_ENABLED=0 GOARCH=arm64 go vet ./lz4 ./zlib || fail "go vet fails (arm64)"

# run_test ARCH PKG: builds PKG's test for ARCH without a C toolchain and runs
# it (arm64 under qemu); every test must run and pass.
run_test() {
  local arch=$1 pkg=$2 bin=$WORK/$2.$1.test run=() want
  step "$pkg, linux/$arch: CGO_ENABLED=0, CC=false, against the pure-Go implementation"
  [ "$arch" = arm64 ] && run=("${QEMU[@]}")
  CGO_ENABLED=0 CC=false GOARCH=$arch go test -c -o "$bin" "./$pkg" ||
    fail "cannot build the $arch $pkg test without a C toolchain"
  readelf -dW "$bin" | grep -c 'NEEDED.*\[libc.so.6\]' >/dev/null || fail "the $arch $pkg test binary does not need libc.so.6"
  "${run[@]}" "$bin" -test.count=1 -test.v >"$WORK/run.txt" 2>&1 || {
    cat "$WORK/run.txt"
    fail "the $arch $pkg test failed"
  }
  cat "$WORK/run.txt"
  ! grep -q -e '^--- SKIP' -e '^--- FAIL' "$WORK/run.txt" || fail "the $arch $pkg test skipped or failed a test"
  want=$(cat "$pkg"/*_test.go | grep -c '^func Test')
  [ "$(grep -c '^--- PASS: Test' "$WORK/run.txt")" -eq "$want" ] || fail "the $arch $pkg test did not pass all $want tests"
}
for arch in amd64 arm64; do
  start=$SECONDS
  for pkg in lz4 zlib; do run_test "$arch" "$pkg"; done
  echo "linux/$arch: $((SECONDS - start)) s"
done
step "linux/amd64 with cgo on"
CGO_ENABLED=1 go test -count=1 ./lz4 ./zlib || fail "the tests fail with CGO_ENABLED=1"
echo "PASS"
