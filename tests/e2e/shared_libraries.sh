#!/usr/bin/env bash
# e2e.shared_libraries: functions of shared libraries the system has, called
# directly (--shared-library), with no object and no C toolchain: Debian's
# libz.so.1 with zlib.h (round trips against compress/zlib, crc32 against
# hash/crc32), libsqlite3.so.0 with sqlite3.h (a WAL file database written
# and read by goroutines) and libzstd.so.1 with zstd.h (round trips against
# github.com/klauspost/compress/zstd), each generated for linux/amd64 and
# linux/arm64 in one run and tested on both with CGO_ENABLED=0 CC=false
# (arm64 under qemu-aarch64-static); a mixed package (packed code that
# itself calls libz, next to a libz function called directly); and the
# errors: a library that is not there, one of the wrong architecture, and a
# declared function the library does not export.
#
# The arm64 libraries are Debian's arm64 builds of the installed amd64
# versions, downloaded and unpacked by scripts/fetch-debian-arm64.sh, never
# installed (see that script). gotramp reads them through
# --shared-library-dir linux/arm64=DIR, and qemu's loader finds them through
# its -E LD_LIBRARY_PATH=DIR.
source "$(dirname "$0")/lib.sh"

AMD64_LIBDIRS=(/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu)
for h in zlib.h zconf.h sqlite3.h zstd.h; do
  [ -f "/usr/include/$h" ] || fail "/usr/include/$h is missing (scripts/install-deps.sh installs zlib1g-dev, libsqlite3-dev and libzstd-dev)"
done

step "Debian's arm64 builds of zlib1g, libsqlite3-0 and libzstd1 at the installed amd64 versions"
fetched=$(bash "$SRC/scripts/fetch-debian-arm64.sh" --check) ||
  fail "Debian's arm64 packages are not fetched: run bash scripts/fetch-debian-arm64.sh"
ARM64_LIB=$WORK/arm64-lib
mkdir -p "$ARM64_LIB"
declare -A SO=([zlib1g]=libz.so.1 [libsqlite3-0]=libsqlite3.so.0 [libzstd1]=libzstd.so.1)
while read -r pkg dir; do
  [ -n "${SO[$pkg]:-}" ] || {
    # zstd.h of the arm64 -dev package: the same header serves both targets.
    [ "$pkg" = libzstd-dev ] && { cmp -s "$dir/root/usr/include/zstd.h" /usr/include/zstd.h || fail "zstd.h of libzstd-dev:arm64 differs from /usr/include/zstd.h"; }
    continue
  }
  amd64=$(dpkg-query -W -f='${Version}' "$pkg:amd64")
  deb=("$dir"/*_arm64.deb)
  control=$(dpkg-deb -f "${deb[0]}" Package Version Architecture | tr '\n' ' ')
  [ "$control" = "Package: $pkg Version: $amd64 Architecture: arm64 " ] ||
    fail "${deb[0]} is '$control'; want $pkg $amd64 for arm64"
  so=$(find "$dir/root" -name "${SO[$pkg]}" | head -1)
  [ -n "$so" ] || fail "$pkg:arm64 in $dir has no ${SO[$pkg]}"
  ln -s "$so" "$ARM64_LIB/${SO[$pkg]}"
done <<<"$fetched"
for so in "${SO[@]}"; do
  [ -e "$ARM64_LIB/$so" ] || fail "no arm64 $so fetched (bash scripts/fetch-debian-arm64.sh)"
  readelf -hW "$ARM64_LIB/$so" | grep -c 'Machine: *AArch64' >/dev/null || fail "$ARM64_LIB/$so is not an arm64 library"
done
QEMU=(qemu-aarch64-static -L /usr/aarch64-linux-gnu -E "LD_LIBRARY_PATH=$ARM64_LIB")
BOTH=(--target linux/amd64 --target linux/arm64 --shared-library-dir "linux/arm64=$ARM64_LIB")

new_libc_module "$WORK/mod" e2e.test/sharedlibs

step "generate zlib.h over libz.so.1 for both targets, no object"
run_gotramp "$WORK/zlib" generate --header /usr/include/zlib.h --shared-library libz.so.1 "${BOTH[@]}" \
  --package zlib --out "$WORK/mod/zlib"
expect_ok "$WORK/zlib" "generate over libz.so.1"
skipped=$(json "$WORK/mod/zlib/gotramp-report.json" '" ".join(sorted(s["c_name"] for s in r["skipped"]))')
[ "$skipped" = "gzgetc_ gzprintf gzvprintf" ] || fail "zlib: skipped '$skipped', want only gzgetc_, gzprintf and gzvprintf"
for arch in amd64 arm64; do
  # libz's own version script: crc32 is unversioned, inflateBackInit_ ZLIB_1.2.0.
  expect_in "$WORK/mod/zlib/zlib_dynimport_linux_$arch.go" "zlib glue ($arch)" \
    '//go:cgo_import_dynamic _ _ "libz.so.1"' \
    '//go:cgo_import_dynamic crc32 crc32 "libz.so.1"' \
    '//go:cgo_import_dynamic inflateBackInit_ inflateBackInit_#ZLIB_1.2.0 "libz.so.1"'
done
[ -f "$WORK/mod/zlib/zlib_libc_purego.go" ] && [ -f "$WORK/mod/zlib/zlib_libc_cgo.go" ] ||
  fail "no thread-setup files (_libc_purego.go, _libc_cgo.go) for a package calling libz.so.1"
libs=$(json "$WORK/mod/zlib/gotramp-report.json" \
  '" ".join(sorted(set(t.get("library", "-") + "/" + t["call_path"] for f in r["functions"] if "symbol" in f["targets"]["linux/amd64"] and f["c_name"] != "inflateBack" for t in f["targets"].values())))')
[ "$libs" = "libz.so.1/own_stack" ] || fail "zlib report: library/call path '$libs', want libz.so.1/own_stack for every function but inflateBack"
# inflateBack takes function pointers (in_func, out_func): the callback path.
back=$(json "$WORK/mod/zlib/gotramp-report.json" \
  '" ".join(t["call_path"] for f in r["functions"] if f["c_name"] == "inflateBack" for t in f["targets"].values())')
[ "$back" = "callback callback" ] || fail "zlib report: inflateBack has call paths '$back', want callback on both targets"
cp "$SRC/tests/libc/zlib_test.go.txt" "$WORK/mod/zlib/zlib_test.go"

step "generate sqlite3.h over libsqlite3.so.0 (blocking calls marked in the config)"
cat >"$WORK/sqlite.json" <<EOF
{"headers": ["/usr/include/sqlite3.h"], "package": "sqlite", "shared_libraries": ["libsqlite3.so.0"],
 "functions": {"overrides": {
   "sqlite3_open_v2": {"call_path": "blocking"}, "sqlite3_close_v2": {"call_path": "blocking"},
   "sqlite3_exec": {"call_path": "blocking"}, "sqlite3_prepare_v2": {"call_path": "blocking"},
   "sqlite3_step": {"call_path": "blocking"}}}}
EOF
run_gotramp "$WORK/sqlite" generate --config "$WORK/sqlite.json" "${BOTH[@]}" --out "$WORK/mod/sqlite"
expect_ok "$WORK/sqlite" "generate over libsqlite3.so.0"
path_of() {
  json "$WORK/mod/sqlite/gotramp-report.json" "[t['call_path'] + ' ' + t['library'] for f in r['functions'] if f['c_name'] == '$1' for t in f['targets'].values()]"
}
[ "$(path_of sqlite3_step)" = '["blocking_own_stack libsqlite3.so.0", "blocking_own_stack libsqlite3.so.0"]' ] ||
  fail "sqlite3_step: $(path_of sqlite3_step), want blocking_own_stack in libsqlite3.so.0 on both targets"
[ "$(path_of sqlite3_libversion_number)" = '["own_stack libsqlite3.so.0", "own_stack libsqlite3.so.0"]' ] ||
  fail "sqlite3_libversion_number: $(path_of sqlite3_libversion_number), want own_stack in libsqlite3.so.0"
# Debian's libsqlite3 has no symbol versions.
expect_in "$WORK/mod/sqlite/sqlite_dynimport_linux_arm64.go" "sqlite glue (arm64)" \
  '//go:cgo_import_dynamic sqlite3_open_v2 sqlite3_open_v2 "libsqlite3.so.0"'
cp "$SRC/tests/libc/sqlite_test.go.txt" "$WORK/mod/sqlite/sqlite_test.go"

step "generate zstd.h over libzstd.so.1"
run_gotramp "$WORK/zstd" generate --header /usr/include/zstd.h --shared-library libzstd.so.1 "${BOTH[@]}" \
  --package zstd --out "$WORK/mod/zstd"
expect_ok "$WORK/zstd" "generate over libzstd.so.1"
expect_not_in "$WORK/zstd.err" "zstd.h over libzstd.so.1" "skipping"
cp "$SRC/tests/libc/zstd_test.go.txt" "$WORK/mod/zstd/zstd_test.go"

step "a mixed package: packed code calling libz, and libz's crc32 called directly"
mkdir -p "$WORK/mixed"
cp "$TESTDATA/shlib/mixed.h" "$TESTDATA/shlib/mixed.c" "$WORK/mixed/"
compile_native "$WORK/mixed/mixed.c" "$WORK/mixed/amd64.o" -ffunction-sections
compile_native "$WORK/mixed/mixed.c" "$WORK/mixed/arm64.o" -ffunction-sections --target=aarch64-linux-gnu -ffixed-x28
# Each target's library by its path this time, not by name.
run_gotramp "$WORK/mixedgen" generate --header "$WORK/mixed/mixed.h" --target linux/amd64 --target linux/arm64 \
  --shared-library linux/amd64=/lib/x86_64-linux-gnu/libz.so.1 --shared-library "linux/arm64=$ARM64_LIB/libz.so.1" \
  --object "linux/amd64=$WORK/mixed/amd64.o" --object "linux/arm64=$WORK/mixed/arm64.o" \
  --package mixed --out "$WORK/mod/mixed" --strict
expect_ok "$WORK/mixedgen" "generate a mixed package"
mixed=$(json "$WORK/mod/mixed/gotramp-report.json" \
  '" ".join(f["c_name"] + "=" + f["targets"]["linux/arm64"].get("library", "packed") for f in r["functions"])')
[ "$mixed" = "crc32=libz.so.1 mixed_crc_twice=packed mixed_add=packed" ] || fail "mixed report: '$mixed'"
cp "$TESTDATA/shlib/mixed_test.go.txt" "$WORK/mod/mixed/mixed_test.go"

unformatted=$(gofmt -l "$WORK/mod")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"
cd "$WORK/mod"
PKGS=(zlib sqlite zstd mixed)
CGO_ENABLED=0 go vet "${PKGS[@]/#/./}" || fail "go vet fails (amd64)"
CGO_ENABLED=0 GOARCH=arm64 go vet "${PKGS[@]/#/./}" || fail "go vet fails (arm64)"

declare -A NEEDS=([zlib]=libz.so.1 [sqlite]=libsqlite3.so.0 [zstd]=libzstd.so.1 [mixed]=libz.so.1)
run_test() {
  local arch=$1 pkg=$2 bin=$WORK/$2.$1.test run=() want
  step "$pkg, linux/$arch: CGO_ENABLED=0, CC=false"
  [ "$arch" = arm64 ] && run=("${QEMU[@]}")
  CGO_ENABLED=0 CC=false GOARCH=$arch go test -c -o "$bin" "./$pkg" ||
    fail "cannot build the $arch $pkg test without a C toolchain"
  readelf -dW "$bin" | grep -c "NEEDED.*\[${NEEDS[$pkg]}\]" >/dev/null || fail "the $arch $pkg test binary does not need ${NEEDS[$pkg]}"
  (cd "$WORK" && "${run[@]}" "$bin" -test.count=1 -test.v) >"$WORK/run.txt" 2>&1 || {
    cat "$WORK/run.txt"
    fail "the $arch $pkg test failed"
  }
  "$GOTRAMP" verify "$bin" || fail "gotramp verify rejects the $arch $pkg test binary"
  grep -e '^--- ' -e '^ok' -e '^PASS' "$WORK/run.txt"
  ! grep -q -e '^--- SKIP' -e '^--- FAIL' "$WORK/run.txt" || fail "the $arch $pkg test skipped or failed a test"
  want=$(cat "$pkg"/*_test.go | grep -c '^func Test')
  [ "$(grep -c '^--- PASS: Test' "$WORK/run.txt")" -eq "$want" ] || fail "the $arch $pkg test did not pass all $want tests"
}
for arch in amd64 arm64; do
  for pkg in "${PKGS[@]}"; do run_test "$arch" "$pkg"; done
done

step "a library missing at run time: the loader says so at start"
rc=0
qemu-aarch64-static -L /usr/aarch64-linux-gnu "$WORK/zlib.arm64.test" -test.run TestCrc32 >"$WORK/noload.txt" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "the arm64 zlib test ran without its libz.so.1"
expect_in "$WORK/noload.txt" "no libz.so.1 at run time" \
  "error while loading shared libraries: libz.so.1: cannot open shared object file"

step "linux/amd64, CGO_ENABLED=0 -buildmode=pie, and with cgo on (the host linker given the libraries)"
CGO_ENABLED=0 CC=false go test -count=1 -buildmode=pie ./zlib ./mixed || fail "the PIE tests fail with CGO_ENABLED=0"
expect_in zlib/zlib_dynimport_linux_amd64.go "zlib glue" 'CGO_LDFLAGS="-l:libz.so.1" go build'
CGO_ENABLED=1 CGO_LDFLAGS="-l:libz.so.1 -l:libsqlite3.so.0 -l:libzstd.so.1" go test -count=1 "${PKGS[@]/#/./}" ||
  fail "the tests fail with CGO_ENABLED=1"

step "error: a library that is not there"
cd "$WORK"
run_gotramp "$WORK/e1" generate --header /usr/include/zlib.h --shared-library libgotramp-absent.so.3 \
  --package zlib --out "$WORK/e1out"
expect_error "$WORK/e1" "a missing library"
expect_in "$WORK/e1.err" "missing library" \
  "shared library 'libgotramp-absent.so.3' for linux/amd64 not found in /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu"
[ ! -e "$WORK/e1out" ] || fail "a failed run created its output directory"

step "error: a library of the wrong architecture"
run_gotramp "$WORK/e2" generate --header /usr/include/zlib.h --target linux/arm64 \
  --shared-library linux/arm64=/lib/x86_64-linux-gnu/libz.so.1 --package zlib --out "$WORK/e2out"
expect_error "$WORK/e2" "an amd64 library for arm64"
expect_in "$WORK/e2.err" "wrong architecture" \
  "/lib/x86_64-linux-gnu/libz.so.1: built for another machine than linux/arm64"

step "a declared function the library does not export: skipped with a warning, an error with --strict"
cp "$TESTDATA/shlib/notexported.h" "$WORK/notexported.h"
run_gotramp "$WORK/w" generate --header "$WORK/notexported.h" --shared-library libz.so.1 --package ne --out "$WORK/mod/ne"
expect_ok "$WORK/w" "a function libz does not export"
expect_in "$WORK/w.err" "not exported" \
  "notexported.h:2:5: warning: skipping 'gotramp_not_in_zlib': it is declared, but the shared library libz.so.1 does not export 'gotramp_not_in_zlib'"
grep -q '^func Crc32(' "$WORK/mod/ne/ne.go" || fail "crc32 was not bound next to the skipped function"
run_gotramp "$WORK/s" generate --header "$WORK/notexported.h" --shared-library libz.so.1 --package ne \
  --out "$WORK/mod/ne2" --strict
expect_error "$WORK/s" "--strict with a function libz does not export"
expect_in "$WORK/s.err" "--strict" "notexported.h:2:5: error: skipping 'gotramp_not_in_zlib'"
echo "PASS"
