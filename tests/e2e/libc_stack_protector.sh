#!/usr/bin/env bash
# e2e.libc_stack_protector: code built with -fstack-protector-strong in libc
# mode. __stack_chk_fail comes from runtime-shims/mem instead of glibc, so
# the functions keep a stack bound (the direct path); on amd64, where the
# canary is read at %fs:0x28 and nothing is imported, the package still sets
# up glibc's threads. Built with CGO_ENABLED=0 CC=false for linux/amd64 and
# linux/arm64 (qemu) and with cgo on amd64: the sums are right on several
# threads, and an overflow ends the process with glibc's message and SIGABRT,
# also when the program routes SIGABRT to a channel. Without libc mode, the
# same objects stay an error that names the stack protector.
source "$(dirname "$0")/lib.sh"

QEMU=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null || fail "qemu-aarch64-static is not installed"

HEADER=$TESTDATA/stack_protector.h
for t in amd64:x86_64 arm64:aarch64; do
  "$CLANG" -O2 -fPIC -fstack-protector-strong -ffunction-sections -fno-asynchronous-unwind-tables \
    --target=${t#*:}-linux-gnu -c "$TESTDATA/stack_protector.c" -o "$WORK/sp_${t%%:*}.o" ||
    fail "clang could not compile stack_protector.c for ${t%%:*}"
  readelf -sW "$WORK/sp_${t%%:*}.o" | grep -q ' __stack_chk_fail$' ||
    fail "precondition: stack_protector.c was not compiled with the stack protector (${t%%:*})"
done
OBJECTS=(--target linux/amd64 --target linux/arm64
  --object linux/amd64="$WORK/sp_amd64.o" --object linux/arm64="$WORK/sp_arm64.o")

step "libc none: still an error naming the stack protector"
run_gotramp "$WORK/none" generate --header "$HEADER" "${OBJECTS[@]}" --package sp --out "$WORK/none-out"
expect_error "$WORK/none" "libc none"
expect_in "$WORK/none.err" "libc none" "skipping 'sp_sum'" "'__stack_chk_fail' (sp_sum -> __stack_chk_fail)" \
  "compile with -fno-stack-protector"

step "--libc dynamic: __stack_chk_fail packed, not imported; the direct path"
new_libc_module "$WORK/mod" e2e.test/sp
OUT=$WORK/mod/sp
REPORT=$OUT/gotramp-report.json
run_gotramp "$WORK/gen" generate --libc dynamic --header "$HEADER" "${OBJECTS[@]}" --package sp --out "$OUT"
expect_ok "$WORK/gen" "generate --libc dynamic"
for arch in amd64 arm64; do
  [ "$(json "$REPORT" "' '.join(r['targets']['linux/$arch']['shims'])")" = __stack_chk_fail ] ||
    fail "report: linux/$arch does not pack __stack_chk_fail from runtime-shims/mem"
  readelf -sW "$OUT/sp_linux_$arch.syso" | grep -q ' __stack_chk_fail$' ||
    fail "sp_linux_$arch.syso has no local __stack_chk_fail"
done
expect_call_path "$OUT" sp_sum direct
expect_call_path "$OUT" sp_smash direct
[ "$(json "$REPORT" "'libc_imports' in r['targets']['linux/amd64']")" = false ] ||
  fail "report: linux/amd64 imports something, want nothing"
[ "$(json "$REPORT" "' '.join(r['targets']['linux/arm64']['libc_imports'])")" = __stack_chk_guard ] ||
  fail "report: linux/arm64 should import __stack_chk_guard alone"
expect_not_in "$OUT/sp_dynimport_linux_arm64.go" "arm64 glue" "__stack_chk_fail"
[ ! -e "$OUT/sp_dynimport_linux_amd64.go" ] || fail "amd64 needs no glue: it imports nothing"
expect_in "$OUT/sp_libc_purego.go" "purego file" "//go:build !cgo && ((linux && amd64) || (linux && arm64))" \
  "import _ \"github.com/ebitengine/purego\""
expect_in "$OUT/sp_libc_cgo.go" "cgo file" 'import _ "runtime/cgo"'

cp "$TESTDATA/stack_protector_test.go.txt" "$OUT/sp_test.go"
cd "$WORK/mod"
check_libc_package sp "stack protector test"

# smash NAME MODE RUNNER...: runs TestSmash alone with SP_SMASH=MODE; the
# process must print glibc's message and die of SIGABRT: Go's crash report
# (exit status 2) when Go's handler sees it, the signal itself (134 from the
# shell, or qemu's own report) when the program asked for it.
smash() {
  local name=$1 mode=$2 status=0
  shift 2
  SP_SMASH=$mode "$@" -test.run '^TestSmash$' -test.count=1 >"$WORK/$name.out" 2>&1 || status=$?
  [ "$status" -ne 0 ] || { cat "$WORK/$name.out"; fail "$name: the overflow did not end the process"; }
  expect_in "$WORK/$name.out" "$name" "*** stack smashing detected ***: terminated"
  expect_not_in "$WORK/$name.out" "$name" "SpSmash(64) returned"
  case $mode in
  go) expect_in "$WORK/$name.out" "$name" "SIGABRT: abort"
    [ "$status" = 2 ] || fail "$name: exit status $status, want Go's 2" ;;
  notify) expect_not_in "$WORK/$name.out" "$name" "SIGABRT: abort"
    [ "$status" = 134 ] || grep -q "uncaught target signal 6" "$WORK/$name.out" ||
      fail "$name: exit status $status, want death by SIGABRT (134)" ;;
  esac
}

step "an overflow ends the process with glibc's message and SIGABRT"
CGO_ENABLED=0 CC=false go test -c -o "$WORK/amd64.test" ./sp || fail "cannot build the amd64 test"
CGO_ENABLED=0 CC=false GOARCH=arm64 go test -c -o "$WORK/arm64.test" ./sp || fail "cannot build the arm64 test"
CGO_ENABLED=1 go test -c -o "$WORK/cgo.test" ./sp || fail "cannot build the amd64 test with cgo on"
for mode in go notify; do
  smash "amd64-$mode" $mode "$WORK/amd64.test"
  smash "arm64-$mode" $mode "${QEMU[@]}" "$WORK/arm64.test"
  smash "cgo-$mode" $mode "$WORK/cgo.test"
done
echo "PASS"
