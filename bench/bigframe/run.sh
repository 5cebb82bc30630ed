#!/usr/bin/env bash
# What a big native frame costs on the goroutine stack (direct) against the
# own stack, linux/amd64, side by side in one `go test -bench` run per size:
#
#   bash bench/bigframe/run.sh [GOTRAMP] [KIB...]     (default: 4 8 16 32 64)
#
# For each size, big.c is compiled with a frame of that many KiB, bound once
# as direct (big_direct, forced by the config) and once on own_stack
# (big_own), and timed: in a loop (Quiet), in a loop while another goroutine
# churns the heap so the GC runs and shrinks stacks (GC), and from a new
# goroutine every 16 calls, whose 8 KiB stack must grow first (Fresh). The
# rule it informs: DirectFrameLimitBytes in generator/include/gotramp/plan/Plan.h.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GOTRAMP=$(realpath "${1:-$ROOT/build/bin/gotramp}")
shift $(($# > 0 ? 1 : 0))
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(4 8 16 32 64)
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-bigframe.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0
cd "$WORK"
cat >go.mod <<MOD
module big

go 1.23

require github.com/gotramp/gotramp/runtime-shims/go v0.1.0

replace github.com/gotramp/gotramp/runtime-shims/go => $ROOT/runtime-shims/go
MOD
for kib in "${SIZES[@]}"; do
  rm -rf big
  "$CLANG" -O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fno-builtin -ffunction-sections --target=x86_64-linux-gnu -DFRAME_KIB="$kib" \
    -I"$HERE" -c "$HERE/big.c" -o big.o
  cat >cfg.json <<CFG
{"package": "big", "out": "big", "headers": ["$HERE/big.h"], "objects": ["linux/amd64=big.o"],
 "targets": ["linux/amd64"],
 "functions": {"overrides": {"big_direct": {"call_path": "direct"}, "big_own": {"call_path": "own_stack"}}}}
CFG
  "$GOTRAMP" generate --config cfg.json >generate.log 2>&1 || { cat generate.log >&2; exit 1; }
  cp "$HERE/bigframe_test.go.in" big/bigframe_test.go
  echo "== frame $kib KiB"
  go test -run '^$' -bench . -count 3 -benchtime 200000x ./big | grep '^Benchmark'
done
