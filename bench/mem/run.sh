#!/usr/bin/env bash
# runtime-shims/mem against glibc, linux/amd64, side by side in one process:
#
#   bash bench/mem/run.sh [GOTRAMP] [CLANG] [membench flags...]
#
# GOTRAMP defaults to build/bin/gotramp, CLANG to /usr/lib/llvm-19/bin/clang.
# Packs tests/mem/native/memtest.c with gotramp (the routines come from
# runtime-shims/mem) and compiles the same file with cgo (the routines come
# from glibc), then runs bench/mem/main.go.in: ns per call for 8 B to 1 MiB,
# once against glibc's default routines and once against its SSE2 ones.
# The cgo half is compiled by CC (default: CLANG, so both halves come from
# the same compiler). Timings on a shared
# machine are noisy: compare the ratios of one run, not runs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GOTRAMP=$(realpath "${1:-$ROOT/build/bin/gotramp}")
CLANG=${2:-/usr/lib/llvm-19/bin/clang}
shift $(($# < 2 ? $# : 2))
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-membench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GOWORK=off GOFLAGS=-mod=mod

mkdir -p "$WORK/mod/glibc" "$WORK/mod/runtime-shims"
cp -R "$ROOT/runtime-shims/go" "$WORK/mod/runtime-shims/go"
cat >"$WORK/mod/go.mod" <<MOD
module membench

go 1.23

require github.com/gotramp/gotramp/runtime-shims/go v0.1.0

replace github.com/gotramp/gotramp/runtime-shims/go => ./runtime-shims/go
MOD
"$CLANG" -O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables \
  -fno-builtin -ffunction-sections --target=x86_64-linux-gnu \
  -c "$ROOT/tests/mem/native/memtest.c" -o "$WORK/memtest.o"
"$GOTRAMP" generate --header "$ROOT/tests/mem/native/memtest.h" --package memtest \
  --out "$WORK/mod/memtest" --object "linux/amd64=$WORK/memtest.o" --target linux/amd64 \
  --strict >"$WORK/generate.log" 2>&1 || { cat "$WORK/generate.log" >&2; exit 1; }
# Not .c: cgo would compile a .c file of the package a second time.
cp "$ROOT/tests/mem/native/memtest.c" "$WORK/mod/glibc/memtest.c.inc"
cp "$ROOT/tests/mem/native/memtest.h" "$WORK/mod/glibc/"
cp "$ROOT/bench/mem/glibc.go.in" "$WORK/mod/glibc/glibc.go"
cp "$ROOT/bench/mem/main.go.in" "$WORK/mod/main.go"
cd "$WORK/mod"
CC=${CC:-$CLANG} CGO_ENABLED=1 CGO_CFLAGS_ALLOW=-fno-builtin go build -o membench .
echo "## against glibc as it runs here (its AVX2/EVEX routines where the CPU has them)"
./membench "$@"
# glibc picks its routines at start-up; these tunables make it take its SSE2
# ones, the baseline runtime-shims/mem is limited to.
echo
echo "## against glibc's SSE2 routines (GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-AVX)"
GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-AVX ./membench "$@"
