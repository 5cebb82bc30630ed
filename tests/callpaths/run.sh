#!/usr/bin/env bash
# callpaths: the direct, blocking, own_stack and blocking_own_stack call paths on linux/amd64
# (natively) and linux/arm64 (qemu-aarch64-static), on the installed Go and
# on every toolchain GOTRAMP_OLD_GO and GOTRAMP_NEW_GO name (GOTOOLCHAIN
# values such as go1.23.12 and go1.27.3, fetched by the go command): the
# shim reaches into the runtime, which each Go release may change.
#
#   bash tests/callpaths/run.sh GOTRAMP CLANG SOURCE_DIR [go test args...]
#   CALLPATHS_BENCH=N bash tests/callpaths/run.sh ...   # only BenchmarkAdd, N rounds, with cgo
#
# Generates tests/callpaths/native/callpaths.h into a scratch copy of the
# module (with runtime-shims/go), checks gofmt and go vet for both GOARCHes,
# and runs the hand-written tests in tests/callpaths/testdata/cp: results on every
# path, 0 allocations per call, GC/profiler/preemption stress, stop-the-world
# latency during a 200 ms native call, and the own-stack overflow crash.
# Under qemu the stress test makes 10^5 calls per goroutine instead of 10^6
# (CALLPATHS_CALLS; CALLPATHS_QEMU_CALLS overrides), because emulation is
# much slower and the suite runs on 2 cores.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 GOTRAMP CLANG SOURCE_DIR [go test args...]" >&2; exit 2; }
GOTRAMP=$(realpath "$1")
CLANG=$2
SRC=$(realpath "$3")
shift 3
HERE=$SRC/tests/callpaths
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-callpaths.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '=== %s\n' "$*"; }

ROOT=$WORK/repo
PKG=$ROOT/tests/callpaths/cp
mkdir -p "$ROOT/runtime-shims" "$ROOT/tests/callpaths"
cp "$SRC/go.mod" "$SRC/go.sum" "$ROOT/"
cp -R "$SRC/runtime-shims/go" "$ROOT/runtime-shims/go"
cp -R "$HERE/testdata/cp" "$PKG"

step "compile native/callpaths.c for both targets"
CFLAGS=(-O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables
  -fno-builtin -ffunction-sections)
"$CLANG" "${CFLAGS[@]}" --target=x86_64-linux-gnu -c "$HERE/native/callpaths.c" -o "$WORK/amd64.o"
"$CLANG" "${CFLAGS[@]}" --target=aarch64-linux-gnu -ffixed-x28 -c "$HERE/native/callpaths.c" \
  -o "$WORK/arm64.o"

step "gotramp generate (both targets)"
overrides=""
for f in add sum many spin_ms load; do
  overrides+="\"${f}_blocking\": {\"call_path\": \"blocking\"}, \"${f}_own\": {\"call_path\": \"own_stack\"}, "
  overrides+="\"${f}_bown\": {\"call_path\": \"blocking_own_stack\"}, "
done
# recurse_own has no stack bound: the default functions.unknown_bound gives it
# own_stack (checked in the report below); recurse_bown is marked blocking,
# which makes it blocking_own_stack.
overrides+="\"recurse_bown\": {\"call_path\": \"blocking\"}"
cat >"$WORK/gotramp.json" <<JSON
{
  "package": "cp",
  "out": "$PKG",
  "headers": ["$HERE/native/callpaths.h"],
  "objects": ["linux/amd64=$WORK/amd64.o", "linux/arm64=$WORK/arm64.o"],
  "targets": ["linux/amd64", "linux/arm64"],
  "functions": {"overrides": {$overrides}}
}
JSON
"$GOTRAMP" generate --config "$WORK/gotramp.json" || fail "gotramp generate failed"
[ -z "$(gofmt -l "$PKG")" ] || fail "gofmt -l lists: $(gofmt -l "$PKG")"
report_path() { # C_NAME -> "call_path|call_path_reason" on linux/amd64
  python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
f = next(f for f in r["functions"] if f["c_name"] == sys.argv[2])
t = f["targets"]["linux/amd64"]
print(t["call_path"] + "|" + t["call_path_reason"])' "$PKG/gotramp-report.json" "$1"
}
got=$(report_path recurse_own)
case $got in
  'own_stack|stack bound unknown: recursion'*'functions.unknown_bound is "own_stack"') ;;
  *) fail "recurse_own: want own_stack chosen by the default unknown_bound, report says: $got" ;;
esac
got=$(report_path recurse_bown)
case $got in
  'blocking_own_stack|stack bound unknown: recursion'*'marked blocking'*) ;;
  *) fail "recurse_bown: want blocking_own_stack (blocking, bound unknown), report says: $got" ;;
esac
got=$(report_path add_own)
[ "$got" = 'own_stack|set by functions.overrides.add_own.call_path' ] ||
  fail "add_own: report says: $got"
[ -n "${CALLPATHS_KEEP:-}" ] && cp -R "$PKG" "$CALLPATHS_KEEP"

cd "$ROOT"
# The shim is a module of its own (the copied root go.mod replaces it with
# ./runtime-shims/go), so its packages are named by import path: a ./ pattern
# only matches packages of the main module.
SHIM_PACKAGES=github.com/gotramp/gotramp/runtime-shims/go/...
run_go() { # GO_TOOLCHAIN
  local tc=$1
  shift
  for arch in amd64 arm64; do
    step "go vet ./tests/callpaths/cp $SHIM_PACKAGES (GOARCH=$arch, $tc)"
    GOTOOLCHAIN=$tc GOARCH=$arch go vet ./tests/callpaths/cp "$SHIM_PACKAGES" ||
      fail "go vet fails for GOARCH=$arch ($tc)"
  done
  step "go test (linux/amd64, $tc)"
  GOTOOLCHAIN=$tc GOARCH=amd64 go test -count=1 -v "$SHIM_PACKAGES" ./tests/callpaths/cp "$@" ||
    fail "go test fails on linux/amd64 ($tc)"
  step "go test (linux/arm64 under qemu-aarch64-static, $tc; 10^5 stress calls per goroutine)"
  GOTOOLCHAIN=$tc GOARCH=arm64 CALLPATHS_CALLS=${CALLPATHS_QEMU_CALLS:-100000} \
    CALLPATHS_EXEC=qemu-aarch64-static \
    go test -count=1 -v -exec qemu-aarch64-static "$SHIM_PACKAGES" ./tests/callpaths/cp "$@" ||
    fail "go test fails on linux/arm64 ($tc)"
}
if [ -n "${CALLPATHS_BENCH:-}" ]; then
  # The call-path table of README.md: every path and cgo (testdata/cp/cgoref,
  # same C addition) side by side in one test binary. Each of the
  # CALLPATHS_BENCH rounds runs every path once, so the paths share the
  # machine's ups and downs; the summary is the median per path.
  step "BenchmarkAdd, linux/amd64, $(go version | cut -d' ' -f3), CGO_ENABLED=1, $CALLPATHS_BENCH rounds"
  CGO_ENABLED=1 CC=$CLANG go test -c -o "$WORK/cp.test" ./tests/callpaths/cp || fail "go test -c failed"
  for _ in $(seq "$CALLPATHS_BENCH"); do
    "$WORK/cp.test" -test.run='^$' -test.bench='^BenchmarkAdd$' "$@" || fail "the benchmark failed"
  done | tee "$WORK/bench.txt"
  echo "median ns/op over $CALLPATHS_BENCH rounds:"
  awk '$1 ~ /^BenchmarkAdd\// { sub(/-[0-9]+$/, "", $1); v[$1] = v[$1] " " $3 }
    END { for (k in v) print k v[k] }' "$WORK/bench.txt" | while read -r name values; do
    printf '  %-32s %s\n' "$name" "$(printf '%s\n' $values | sort -g |
      awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')"
  done | sort
  exit 0
fi
run_go local "$@"
for tc in ${GOTRAMP_OLD_GO:-} ${GOTRAMP_NEW_GO:-}; do
  run_go "$tc" "$@"
done
echo PASS
