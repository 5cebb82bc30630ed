#!/usr/bin/env bash
# e2e.callbacks: Go callbacks called from native code (issue 19).
#
# A freestanding C library (callbacks.c) takes function pointers of several
# types (a qsort-style comparator, every argument kind with stack
# arguments on both targets, float and small-integer results, a context
# pointer) and keeps one for later. gotramp binds it for linux/amd64 and
# linux/arm64; the functions with a function-pointer parameter get the
# callback path by themselves, cb_invoke by the config. The Go test
# (callbacks_test.go.txt) sorts with a Go comparator, checks every argument
# and result, nests Go -> C -> Go 30 levels, grows the goroutine stack and
# blocks inside a callback, runs 4 x 10^5 callbacks under the GC, the
# profiler and preemption, makes and releases 10^6 callbacks with flat
# memory, and checks the fatal messages (a panic escaping a callback, a
# callback during a direct or own_stack call). It runs on both targets, on
# the installed Go and on GOTRAMP_OLD_GO / GOTRAMP_NEW_GO, with cgo on and
# off, and linked externally and as PIE on amd64. Then libc mode: glibc's
# qsort with a Go comparator, and a callback from a thread Go did not start.
source "$(dirname "$0")/lib.sh"

QEMU=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null || fail "qemu-aarch64-static is not installed"

compile_native "$TESTDATA/callbacks.c" "$WORK/cb_amd64.o"
compile_native "$TESTDATA/callbacks.c" "$WORK/cb_arm64.o" --target=aarch64-linux-gnu -ffixed-x28

new_module "$WORK/mod" e2e.test/callbacks
OUT=$WORK/mod/cbs
REPORT=$OUT/gotramp-report.json
cat >"$WORK/cb.json" <<EOF
{"headers": ["$TESTDATA/callbacks.h"], "package": "cbs",
 "targets": ["linux/amd64", "linux/arm64"],
 "objects": ["linux/amd64=$WORK/cb_amd64.o", "linux/arm64=$WORK/cb_arm64.o"],
 "functions": {"overrides": {
   "cb_invoke": {"call_path": "callback"},
   "cb_sum": {"call_path": "blocking"},
   "cb_invoke_direct": {"call_path": "direct", "frame_bytes": 4096},
   "cb_invoke_own": {"call_path": "own_stack"}}}}
EOF

step "generate for both targets, twice: byte-identical"
run_gotramp "$WORK/gen" generate --config "$WORK/cb.json" --out "$OUT"
expect_ok "$WORK/gen" "generate"
cp -r "$OUT" "$WORK/first"
run_gotramp "$WORK/gen2" generate --config "$WORK/cb.json" --out "$OUT"
expect_ok "$WORK/gen2" "second generate"
diff -r "$WORK/first" "$OUT" || fail "the second run wrote different files"

step "the report: call paths and why"
for f in cb_sort cb_apply cb_mix cb_float cb_small cb_visit cb_register cb_invoke; do
  expect_call_path "$OUT" $f callback
done
why=$(json "$REPORT" "[f['targets']['linux/amd64']['call_path_reason'] for f in r['functions'] if f['c_name'] == 'cb_sort'][0]")
case $why in *cmp*) ;; *) fail "report: cb_sort's call_path_reason does not name the parameter 'cmp': $why" ;; esac
# Marked blocking, and it takes a function pointer: blocking_callback (the
# stress test's 10^6 callbacks go through it).
for pair in cb_sum:blocking_callback cb_invoke_direct:direct cb_invoke_own:own_stack; do
  expect_call_path "$OUT" "${pair%%:*}" "${pair#*:}"
done
noescape=$(awk '/^\/\/go:noescape/{getline; print $2}' "$OUT/cbs.go" | sed 's/(.*//' | tr '\n' ' ')
case " $noescape " in
*" CbSort "* | *" CbMix "* | *" CbVisit "*)
  fail "callback-path functions are //go:noescape ($noescape): their pointers could point into a stack that moves" ;;
esac
expect_in "$OUT/cbs_linux_amd64.s" "amd64 trampolines" "CALL gotrampshim_cb_acquire(SB)" \
  "CALL gotrampshim_cb_call(SB)" "CALL gotrampshim_cb_release(SB)"
expect_in "$OUT/cbs_linux_arm64.s" "arm64 trampolines" "CALL gotrampshim_cb_call(SB)"
for arch in amd64 arm64; do
  expect_in "$OUT/cbs_linux_$arch.s" "$arch blocking_callback trampoline" "CALL gotrampshim_cbb_call(SB)" \
    "CALL gotrampshim_cbb_resume(SB)"
done

cp "$TESTDATA/callbacks_test.go.txt" "$OUT/cbs_test.go"
unformatted=$(gofmt -l "$OUT")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"
cd "$WORK/mod"
for arch in amd64 arm64; do
  GOARCH=$arch go vet ./cbs || fail "go vet fails for GOARCH=$arch"
done

run_both() { # label, then go test flags
  local label=$1
  shift
  step "$label: linux/amd64"
  go test -count=1 "$@" ./cbs || fail "$label: the amd64 test fails"
  step "$label: linux/arm64 under qemu"
  CB_UNDER_QEMU=qemu-aarch64-static GOARCH=arm64 go test -count=1 -exec "${QEMU[*]}" "$@" ./cbs ||
    fail "$label: the arm64 test fails"
}
CGO_ENABLED=0 run_both "go $(go env GOVERSION), CGO_ENABLED=0" -v
for v in ${GOTRAMP_OLD_GO:-} ${GOTRAMP_NEW_GO:-}; do
  [ -d "$(go env GOMODCACHE)/golang.org/toolchain@v0.0.1-$v.linux-amd64" ] ||
    fail "$v is not in the module cache (scripts/test.sh downloads it)"
  GOTOOLCHAIN=$v CGO_ENABLED=0 run_both "$v, CGO_ENABLED=0"
done
step "linux/amd64 with cgo on, linked externally, and as PIE"
CGO_ENABLED=1 go test -count=1 ./cbs || fail "the amd64 test fails with CGO_ENABLED=1"
CGO_ENABLED=1 go test -count=1 -ldflags=-linkmode=external ./cbs || fail "the amd64 test fails linked externally"
CGO_ENABLED=0 go test -count=1 -buildmode=pie ./cbs || fail "the amd64 test fails with -buildmode=pie"
command -v aarch64-linux-gnu-gcc >/dev/null || fail "aarch64-linux-gnu-gcc is not installed (scripts/install-deps.sh)"
step "linux/arm64 with cgo on, linked externally, under qemu"
CGO_ENABLED=1 GOARCH=arm64 CC=aarch64-linux-gnu-gcc go test -c -o "$WORK/ext64.test" \
  -ldflags=-linkmode=external ./cbs || fail "cannot build the arm64 test with external linking"
CB_UNDER_QEMU=qemu-aarch64-static "${QEMU[@]}" "$WORK/ext64.test" -test.count=1 ||
  fail "the arm64 test fails linked externally"

step "libc mode: glibc's qsort with a Go comparator, a callback on a foreign thread"
LIBC_CFLAGS=(-O2 -fPIC -fstack-protector-strong -ffunction-sections -fdata-sections
  -fno-asynchronous-unwind-tables)
for t in amd64:x86_64 arm64:aarch64; do
  "$CLANG" "${LIBC_CFLAGS[@]}" --target=${t#*:}-linux-gnu -c "$TESTDATA/callbacks_libc.c" \
    -o "$WORK/cbl_${t%%:*}.o" || fail "clang could not compile callbacks_libc.c for ${t%%:*}"
done
new_libc_module "$WORK/lmod" e2e.test/cblibc
LOUT=$WORK/lmod/cbl
run_gotramp "$WORK/lgen" generate --libc dynamic --header "$TESTDATA/callbacks_libc.h" \
  --target linux/amd64 --target linux/arm64 \
  --object linux/amd64="$WORK/cbl_amd64.o" --object linux/arm64="$WORK/cbl_arm64.o" \
  --package cbl --out "$LOUT"
expect_ok "$WORK/lgen" "generate the libc-mode package"
cp "$TESTDATA/callbacks_libc_test.go.txt" "$LOUT/cbl_test.go"
cd "$WORK/lmod"
CGO_ENABLED=0 go vet ./cbl || fail "go vet fails (libc mode)"
CGO_ENABLED=0 CC=false go test -count=1 -v ./cbl || fail "the libc-mode test fails (amd64)"
CGO_ENABLED=0 CC=false GOARCH=arm64 CB_UNDER_QEMU=qemu-aarch64-static \
  go test -count=1 -exec "${QEMU[*]}" ./cbl || fail "the libc-mode test fails (arm64)"
CGO_ENABLED=1 go test -count=1 ./cbl || fail "the libc-mode test fails with cgo on"
echo "PASS"
