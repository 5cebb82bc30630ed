#!/usr/bin/env bash
# The real-workload benchmark (issue 18): lz4, zstd, zlib and SQLite, each
# case through gotramp (--libc dynamic), cgo on the same objects, pure Go,
# mattn/go-sqlite3 (SQLite) and a C loop calling the same objects with no Go,
# side by side in one run: every round runs every case through every path.
# Then instructions.sh counts each case's instructions per operation through
# every path with callgrind. Writes results/WORKLOADS.md,
# results/workloads.svg and the raw data in results/raw/workloads/.
#
#   bench/workloads/run.sh [--quick] [--out DIR]
#   bench/run.sh --workloads    (the same, after the call benchmarks)
#
#   --quick     one short round, and instructions counted for one case only:
#               checks the pipeline (a minute once built); figures are
#               meaningless
#   --out DIR   write the results there instead of bench/results
#
# Environment: GOTRAMP=path/to/gotramp skips building it (default: build into
# build-bench/ at the repository root, as bench/run.sh); BENCH_ROUNDS (9),
# BENCH_TIME (200ms: go test -benchtime, and the C loop's target time, per
# case and round); CLANG (clang-19); BENCH_CFLAGS (none: flags added to
# the compilation of the four libraries, for every path alike, e.g.
# -falign-functions=64 to take code placement out of the comparison).
# Needs Go >= 1.26, cargo (the crates bring the C sources), clang-19 with
# llvm-ar and llvm-objcopy, and valgrind.
set -euo pipefail

wl=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$wl/../.." && pwd)
out=$wl/../results
quick=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "workloads/run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
rounds=${BENCH_ROUNDS:-9}
benchtime=${BENCH_TIME:-200ms}
[ $quick = 1 ] && rounds=1 benchtime=20ms
CLANG=${CLANG:-clang-19}
start=$SECONDS
step() { printf '\n== [%3ds] workloads: %s\n' $((SECONDS - start)) "$*"; }

for tool in go cargo "$CLANG" valgrind; do
  command -v "$tool" >/dev/null || { echo "workloads/run.sh: $tool must be on PATH" >&2; exit 1; }
done
if [ -z "${GOTRAMP:-}" ]; then
  build=$root/build-bench
  [ -f "$build/build.ninja" ] ||
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  ninja -C "$build" gotramp >/dev/null
  GOTRAMP=$build/bin/gotramp
fi
GOTRAMP=$(realpath "$GOTRAMP")

step "compile lz4, zstd, zlib and SQLite from their crates; generate the gotramp packages"
bash "$wl/build.sh" "$GOTRAMP" "$CLANG"

cd "$wl"
export CC=$CLANG CGO_ENABLED=1 GOWORK=off
step "C loop, go vet, test binary, checks"
mkdir -p out/data
go run ./cmd/gendata out/data
"$CLANG" -O2 -Wall -Wextra -Werror -Iout/include cloop/cloop.c \
  out/liblz4.a out/libzstd.a out/libzlib.a out/libsqlite.a -lpthread -ldl -lm -o out/cloop
go vet ./...
go test ./cmd/report
# No DWARF: valgrind 3.19 cannot read Go's, and instructions.sh runs this
# binary under callgrind (DWARF is not loaded at run time: the timings do
# not change).
go test -c -ldflags=-w -o out/suite.test ./suite
# Every path of every case must give the right result, and the C loop too,
# before anything is timed (BenchmarkW checks each path again).
(cd suite && WL_CLOOP=$wl/out/cloop WL_DATA=$wl/out/data ../out/suite.test -test.run . -test.v) |
  grep -E '^(--- |ok|PASS|FAIL|    )'

raw=$out/raw/workloads
rm -rf "$raw"
mkdir -p "$raw"
{
  echo "cpu: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
  echo "cores: $(nproc)"
  echo "kernel: $(uname -sr)"
  echo "go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH)"
  echo "clang: $("$CLANG" --version | head -1)"
  echo "valgrind: $(valgrind --version)"
  echo "extra C flags: ${BENCH_CFLAGS:-none}"
  echo "gotramp: $("$GOTRAMP" --version 2>/dev/null || echo unknown)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$root" diff --quiet HEAD -- generator templates runtime-shims 2>/dev/null || echo ' (modified)')"
  echo "sources: $(awk '/^name = /{n=$3} /^version = /{if (n ~ /^"(lz4-sys|zstd-sys|libz-sys|libsqlite3-sys)"$/) print n" "$3}' sources/Cargo.lock | tr -d '"' | paste -sd, | sed 's/,/, /g')"
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "rounds: $rounds"
  echo "benchtime: $benchtime"
  echo "quick: $quick"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')"
} >"$raw/machine.txt"
cat "$raw/machine.txt"
go run ./cmd/report -callpaths gen >"$raw/callpaths.tsv"

step "$rounds round(s): every case through every path, then the C loop"
bench_ns=$(go run ./cmd/report -ns "$benchtime")
for r in $(seq "$rounds"); do
  (cd suite && ../out/suite.test -test.run '^$' -test.bench . -test.benchtime "$benchtime" -test.benchmem) \
    >"$raw/bench-$r.txt"
  out/cloop out/data "$bench_ns" >"$raw/cloop-$r.txt"
  echo "round $r done ($((SECONDS - start)) s, load $(cut -d' ' -f1 /proc/loadavg))"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')" >>"$raw/machine.txt"

step "instructions per operation (callgrind)"
if [ $quick = 1 ]; then
  bash "$wl/instructions.sh" "$raw" '^zlib[.]adler32/64B$'
else
  bash "$wl/instructions.sh" "$raw"
fi

step "report"
go run ./cmd/report -raw "$raw" -out "$out"
echo "wrote $out/WORKLOADS.md and $out/workloads.svg in $((SECONDS - start)) s"
