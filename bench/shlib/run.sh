#!/usr/bin/env bash
# A call into a shared library the system has: crc32 of 8 bytes in Debian's
# libz.so.1, linux/amd64, through gotramp (--shared-library libz.so.1: a
# trampoline and a thunk jumping through cmd/link's PLT), cgo (-lz), and
# purego (RegisterLibFunc, and SyscallN on the dlsym address), side by side
# in one `go test -bench` binary (gotramp twice: on own_stack, the default for
# a library's function, and on the direct path with a frame the config gives) with cgo on; then gotramp and purego again
# in a CGO_ENABLED=0 CC=false binary, which is how gotramp is meant to be
# built. Every call's result is checked against hash/crc32.
#
#   bash bench/shlib/run.sh [GOTRAMP]      (BENCH_COUNT=5, BENCH_TIME=200ms)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GOTRAMP=$(realpath "${1:-$ROOT/build/bin/gotramp}")
COUNT=${BENCH_COUNT:-5} TIME=${BENCH_TIME:-200ms}
[ -f /usr/include/zlib.h ] || { echo "run.sh: needs zlib1g-dev (scripts/install-deps.sh)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-shlib.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GOWORK=off GOTOOLCHAIN=local GOFLAGS=-mod=mod
cd "$WORK"
sed "s|^module .*|module shlibbench|; s|=> ../runtime-shims/go|=> $ROOT/runtime-shims/go|" \
  "$ROOT/bench/go.mod" >go.mod
cp "$ROOT/bench/go.sum" go.sum
"$GOTRAMP" generate --header "$HERE/crc.h" --shared-library libz.so.1 --package zlib --out zlib \
  >generate.log 2>&1 || { cat generate.log >&2; exit 1; }
# The same call on the direct path, on the goroutine stack: the library's
# stack use is unknown to gotramp, so the config vouches for a frame (libz's
# crc32 is a leaf function with a small frame).
cat >direct.json <<CFG
{"headers": ["$HERE/crc.h"], "shared_libraries": ["libz.so.1"], "package": "zlibdirect",
 "functions": {"overrides": {"crc32": {"call_path": "direct", "frame_bytes": 512}}}}
CFG
"$GOTRAMP" generate --config direct.json --out zlibdirect >generate.log 2>&1 ||
  { cat generate.log >&2; exit 1; }
cp "$HERE/shlib_test.go.in" shlib_test.go
cp "$HERE/cgo.go.in" cgo.go
cp "$HERE/cgo_test.go.in" cgo_test.go
echo "== CGO_ENABLED=1 (cgo links externally: the host linker gets -lz from the cgo file)"
CGO_ENABLED=1 go test -run '^$' -bench . -count "$COUNT" -benchtime "$TIME" . | tee cgo.txt | grep '^Benchmark'
echo "== CGO_ENABLED=0 CC=false"
CGO_ENABLED=0 CC=false go test -run '^$' -bench . -count "$COUNT" -benchtime "$TIME" . | tee nocgo.txt | grep '^Benchmark'
echo "== the floor: the same call from a C loop, no Go (floor.c)"
"${CLANG:-clang-19}" -O2 "$HERE/floor.c" -o floor -l:libz.so.1
./floor "$COUNT" | tee -a cgo.txt
# Median ns/op per benchmark and run, and the ratios the issue asks for.
python3 - cgo.txt nocgo.txt <<'PY'
import re, statistics, sys
def medians(path):
    runs = {}
    for line in open(path):
        m = re.match(r'Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op', line)
        if m:
            runs.setdefault(m.group(1), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in runs.items()}
cgo, nocgo = medians(sys.argv[1]), medians(sys.argv[2])
print("\n| crc32 of 8 bytes in libz.so.1 | cgo on: ns/call | CGO_ENABLED=0: ns/call |")
print("|---|---:|---:|")
for name in ["Crc32Gotramp", "Crc32GotrampDirect", "Crc32Cgo", "Crc32PuregoRegisterLibFunc", "Crc32PuregoSyscallN", "Crc32CLoop"]:
    a, b = cgo.get(name), nocgo.get(name)
    print(f"| {name[5:]} | {a:.2f} | " + (f"{b:.2f}" if b else "-") + " |")
g = cgo["Crc32Gotramp"]
print(f"\ncgo/gotramp = {cgo['Crc32Cgo'] / g:.1f}x, purego RegisterLibFunc/gotramp = "
      f"{cgo['Crc32PuregoRegisterLibFunc'] / g:.1f}x, purego SyscallN/gotramp = "
      f"{cgo['Crc32PuregoSyscallN'] / g:.1f}x (same run, cgo on; gotramp on own_stack, the default)")
d = cgo["Crc32GotrampDirect"]
print(f"direct path: cgo/gotramp = {cgo['Crc32Cgo'] / d:.1f}x, purego RegisterLibFunc/gotramp = "
      f"{cgo['Crc32PuregoRegisterLibFunc'] / d:.1f}x, purego SyscallN/gotramp = "
      f"{cgo['Crc32PuregoSyscallN'] / d:.1f}x")
f = cgo["Crc32CLoop"]
print(f"C loop (no Go, the floor): {f:.2f} ns; above it gotramp adds {g - f:.2f} ns (own_stack) "
      f"and {d - f:.2f} ns (direct), cgo {cgo['Crc32Cgo'] - f:.2f} ns; 5x cheaper than cgo would "
      f"take {cgo['Crc32Cgo'] / 5:.2f} ns a call")
PY
