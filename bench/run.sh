#!/usr/bin/env bash
# The benchmark harness in one command: installs what it needs, builds
# gotramp, regenerates the gotramp packages and the loops, checks that every
# call path computes the same results, then measures side by side in one run
#
#   - call overhead: every case of harness.Cases through every path of
#     harness.Paths (ns per call, median of rounds; instructions per call
#     under callgrind),
#   - callbacks: one C -> Go round trip and the outer call through every
#     path of harness.CallbackPaths,
#   - hashing 8-256 bytes with xxHash (harness.HashPaths),
#   - calls into a shared library: crc32 of 8 bytes in Debian's libz.so.1
#     through every path of harness.SharedLibPaths, and the same call from a
#     C loop (native/crc32floor.c, run after the test binaries each round),
#   - generator speed on Debian's sqlite3.h and sodium.h,
#   - binary size and link mode of a hello world,
#
# and writes results/RESULTS.md, results/ns_per_call.svg and the raw data in
# results/raw/.
#
#   bench/run.sh [--quick] [--out DIR] [--workloads]
#
#   --quick     one short round, a few callgrind calls: checks that the whole
#               pipeline works (seconds, not minutes); figures are meaningless
#   --out DIR   write the results there instead of bench/results
#   --workloads then run workloads/run.sh (lz4, zstd, zlib, SQLite through
#               every path; results/WORKLOADS.md), with the same --quick and
#               --out
#
# Environment: GOTRAMP=path/to/gotramp skips building it (default: build into
# build-bench/ at the repository root); BENCH_ROUNDS (9), BENCH_TIME (100ms,
# go test -benchtime per benchmark and round); CLANG (clang-19).
# Needs Go >= 1.23 on PATH and, to install packages, root or sudo (Debian 12).
set -euo pipefail

bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
out=$bench/results
quick=0
workloads=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --out) out=$2; shift ;;
    --workloads) workloads=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

rounds=${BENCH_ROUNDS:-9}
benchtime=${BENCH_TIME:-100ms}
cg_n1=10000 cg_n2=60000 hf_runs=20
if [ $quick = 1 ]; then
  rounds=1 benchtime=2000x cg_n1=100 cg_n2=300 hf_runs=2
fi

start=$SECONDS
step() { printf '\n== [%3ds] %s\n' $((SECONDS - start)) "$*"; }

# --- 1. packages -------------------------------------------------------------
step "packages"
command -v go >/dev/null || { echo "run.sh: Go (>= 1.23) must be on PATH" >&2; exit 1; }
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
# clang-19 compiles the native code (and the cgo packages, so both come from
# the same compiler); the -dev packages give the headers and libraries
# measured (zlib1g-dev: zlib.h and -lz for the cgo package and the C loop
# of the shared-library rows); valgrind counts instructions; hyperfine times
# the generator; bsdextrautils has `column` (the size table).
apt_install clang-19 libxxhash-dev zlib1g-dev libsqlite3-dev libsodium-dev valgrind hyperfine file binutils bsdextrautils
CLANG=${CLANG:-clang-19}

# --- 2. gotramp --------------------------------------------------------------
step "gotramp"
if [ -n "${GOTRAMP:-}" ]; then
  GOTRAMP=$(realpath "$GOTRAMP")
else
  "$root/scripts/install-deps.sh"
  build=$root/build-bench
  [ -f "$build/build.ninja" ] ||
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  ninja -C "$build" gotramp >/dev/null
  GOTRAMP=$build/bin/gotramp
fi
echo "$GOTRAMP"

# --- 3. generated code -------------------------------------------------------
step "native code, gotramp packages, loops"
cd "$bench"
export CC=$CLANG CGO_ENABLED=1 GOWORK=off
CLANG=$CLANG sh native/build.sh
for cfg in paths/*/gotramp.json; do
  (cd "$(dirname "$cfg")" && "$GOTRAMP" generate --config gotramp.json)
done
go run ./cmd/gen

# --- 4. build and check ------------------------------------------------------
step "build, vet, check results"
work=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
go vet ./...
CGO_ENABLED=0 go vet ./...
go test ./cmd/report
# The main test binary has every path; the static one (CGO_ENABLED=0) runs
# the gotramp calls again in a binary without cgo (harness.Path.Binary and
# harness.SharedLibPath.Binary).
go test -c -o "$work/suite.test" ./suite
CGO_ENABLED=0 go test -c -o "$work/suite-static.test" ./suite
for t in suite suite-static; do
  (cd suite && "$work/$t.test" -test.run . -test.v) | grep -E '^(--- |ok|PASS|FAIL)'
done

raw=$out/raw
# raw/workloads/ belongs to workloads/run.sh.
mkdir -p "$raw"
find "$raw" -mindepth 1 -maxdepth 1 ! -name workloads -exec rm -rf {} +

# --- 5. machine --------------------------------------------------------------
{
  echo "cpu: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: *//')"
  echo "cores: $(nproc)"
  echo "memory: $(awk '/^MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -sr)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH)"
  echo "clang: $("$CLANG" --version | head -1)"
  echo "valgrind: $(valgrind --version)"
  echo "zlib1g: $(dpkg-query -W -f='${Version}' zlib1g 2>/dev/null || echo unknown)"
  echo "gotramp: $("$GOTRAMP" --version 2>/dev/null || echo unknown)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$root" diff --quiet HEAD -- generator templates 2>/dev/null || echo ' (generator modified)')"
  echo "date: $(date -u +%Y-%m-%d)"
  echo "rounds: $rounds"
  echo "benchtime: $benchtime"
  echo "quick: $quick"
} > "$raw/machine.txt"
cat "$raw/machine.txt"

# --- 6. benchmarks: all paths in each round, rounds back to back -------------
step "benchmarks: $rounds round(s) of -benchtime $benchtime"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')" | tee -a "$raw/machine.txt"
for r in $(seq "$rounds"); do
  (cd suite && "$work/suite.test" -test.run '^$' -test.bench . -test.benchtime "$benchtime" \
    -test.benchmem) > "$raw/bench-$r.txt"
  (cd suite && "$work/suite-static.test" -test.run '^$' -test.bench '^Benchmark(Call|SharedLib)$' \
    -test.benchtime "$benchtime" -test.benchmem) > "$raw/bench-static-$r.txt"
  # The floor of the shared-library rows: the same crc32 call from C.
  native/out/crc32floor "$benchtime" > "$raw/cloop-$r.txt"
  echo "round $r done ($((SECONDS - start)) s)"
done

# --- 7. instruction counts ---------------------------------------------------
step "instructions per call (callgrind, $cg_n1 and $cg_n2 calls per loop)"
# No DWARF (-w): valgrind 3.19 cannot read Go's DWARF 5. No asynchronous
# preemption: callgrind asserts on the SIGURG it sends.
go build -ldflags=-w -o "$work/callcount" ./cmd/callcount
CGO_ENABLED=0 go build -ldflags=-w -o "$work/callcount-static" ./cmd/callcount
for bin in callcount callcount-static; do
  name=${bin/callcount/callgrind} only=.
  [ $bin = callcount-static ] && only='/gotramp0$'
  mkdir "$work/$name"
  GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --dump-before=main.checkpoint \
    --callgrind-out-file="$work/$name/cg.out" "$work/$bin" -n1 "$cg_n1" -n2 "$cg_n2" -only "$only" \
    -manifest "$raw/$name-manifest.json" > "$work/$name/log" 2>&1 ||
    { tail -30 "$work/$name/log"; exit 1; }
  for f in "$work/$name"/cg.out.*; do
    printf '%s\t%s\n' "${f##*.}" "$(sed -n 's/^totals: *//p' "$f")"
  done | sort -n > "$raw/$name-totals.tsv"
done

# Debian's libxxhash.a, as it is: record what gotramp says about packing it.
mkdir "$work/libxxhash-a"
if "$GOTRAMP" generate --header /usr/include/xxhash.h --object /usr/lib/x86_64-linux-gnu/libxxhash.a \
     --package xxhash --out "$work/libxxhash-a" > "$work/libxxhash-a.log" 2>&1; then
  echo "packed without error" > "$raw/libxxhash-a.txt"
else
  grep -m1 'error' "$work/libxxhash-a.log" > "$raw/libxxhash-a.txt" || tail -1 "$work/libxxhash-a.log" > "$raw/libxxhash-a.txt"
fi

# --- 8. generator speed ------------------------------------------------------
step "generator speed"
sodium_headers=(--header /usr/include/sodium.h)
for h in /usr/include/sodium/*.h; do sodium_headers+=(--header "$h"); done
"$GOTRAMP" generate --dump-ir --header /usr/include/sqlite3.h > "$work/sqlite3.ir.json"
"$GOTRAMP" generate --dump-ir "${sodium_headers[@]}" > "$work/sodium.ir.json"
go run ./cmd/report -irstats "$work/sqlite3.ir.json" > "$raw/ir-sqlite3.json"
go run ./cmd/report -irstats "$work/sodium.ir.json" > "$raw/ir-sodium.json"
# Header bytes parsed: the named headers themselves.
wc -c < /usr/include/sqlite3.h > "$raw/bytes-sqlite3.txt"
cat /usr/include/sodium.h /usr/include/sodium/*.h | wc -c > "$raw/bytes-sodium.txt"
echo $(( ${#sodium_headers[@]} / 2 )) > "$raw/files-sodium.txt"
hyperfine -N --warmup 2 --runs "$hf_runs" --style basic \
  --export-json "$raw/hyperfine.json" \
  -n "sqlite3.h" "$GOTRAMP generate --dump-ir --header /usr/include/sqlite3.h" \
  -n "sodium.h + sodium/*.h" "$GOTRAMP generate --dump-ir ${sodium_headers[*]}" \
  -n "paths/gotrampxxh: whole generate --check" "$GOTRAMP generate --config $bench/paths/gotrampxxh/gotramp.json --check" \
  > "$work/hyperfine.log" 2>&1 || { cat "$work/hyperfine.log"; exit 1; }
grep -E 'Time|±' "$work/hyperfine.log" || true

# --- 9. binary size and link mode --------------------------------------------
step "binary size of a hello world"
printf 'name\tcgo_enabled\tbytes\tstripped_bytes\tlink\tneeded\toutput\n' > "$raw/sizes.tsv"
for h in gotramp:0 cgo:1 purego:0 plaingo:0; do
  name=${h%%:*} cgo=${h##*:}
  CGO_ENABLED=$cgo go build -o "$work/hello-$name" "./cmd/hello/$name"
  CGO_ENABLED=$cgo go build -ldflags='-s -w' -o "$work/hello-$name-stripped" "./cmd/hello/$name"
  link=$(file -b "$work/hello-$name" | grep -oE 'statically linked|dynamically linked|static-pie linked')
  needed=$(readelf -d "$work/hello-$name" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | paste -sd, -)
  output=$("$work/hello-$name")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$cgo" "$(stat -c %s "$work/hello-$name")" \
    "$(stat -c %s "$work/hello-$name-stripped")" "$link" "${needed:--}" "$output" >> "$raw/sizes.tsv"
done
column -t -s $'\t' "$raw/sizes.tsv"

# --- 10. report --------------------------------------------------------------
step "report"
go run ./cmd/report -raw "$raw" -out "$out"
echo "wrote $out/RESULTS.md and $out/ns_per_call.svg in $((SECONDS - start)) s"

if [ $workloads = 1 ]; then
  wl_args=(--out "$out")
  [ $quick = 1 ] && wl_args+=(--quick)
  GOTRAMP=$GOTRAMP CLANG=$CLANG bash "$bench/workloads/run.sh" "${wl_args[@]}"
fi
