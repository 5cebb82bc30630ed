#!/usr/bin/env bash
# fuzz.objects: builds the object fuzzer in its own build directory with
# clang, libFuzzer, ASan and UBSan, then runs it over the committed corpus.
#
#   bash tests/fuzz/objects/run.sh SOURCE_DIR FUZZ_BUILD_DIR CLANGXX [SECONDS] [FUZZER_ARGS...]
#
# The run is reproducible: a fixed seed (GOTRAMP_FUZZ_SEED, default 1) and a
# fixed number of executions (GOTRAMP_FUZZ_RUNS, default 30000; SECONDS caps
# the time), so a red run fails again on any machine and CI cannot turn red on
# an input nobody had the chance to see. Exploring beyond that (other seeds,
# longer runs) is a developer's job: see README.md.
# Fails on any crash, sanitizer report, leak or timeout; the input that
# caused it is left in FUZZ_BUILD_DIR/artifacts. Prints the total executions.
# The normal build may use GCC: this one never shares its objects.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SOURCE_DIR FUZZ_BUILD_DIR CLANGXX [SECONDS] [FUZZER_ARGS...]" >&2
  exit 2
fi
SRC=$(realpath "$1")
BUILD=$2
CLANGXX=$3
SECONDS_TO_RUN=${4:-120}
shift $(($# < 4 ? $# : 4))
HERE=$SRC/tests/fuzz/objects

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
clang=$(dirname "$CLANGXX")/clang
start=$(date +%s)
# -O1 and no NDEBUG: the generator's asserts are findings too.
cmake -S "$SRC" -B "$BUILD" -G Ninja -DGOTRAMP_FUZZ=ON -DCMAKE_BUILD_TYPE=Fuzz \
  -DCMAKE_CXX_FLAGS_FUZZ="-O1 -g" -DCMAKE_C_FLAGS_FUZZ="-O1 -g" \
  -DCMAKE_CXX_COMPILER="$CLANGXX" -DCMAKE_C_COMPILER="$clang" "${launcher[@]}" >"$BUILD.configure.log" 2>&1 ||
  { cat "$BUILD.configure.log" >&2; echo "FAIL: cannot configure the fuzz build" >&2; exit 1; }
ninja -C "$BUILD" -j "${GOTRAMP_FUZZ_JOBS:-2}" gotramp-fuzz-objects ||
  { echo "FAIL: cannot build the fuzz target" >&2; exit 1; }
built=$(date +%s)
echo "fuzz.objects: build took $((built - start)) s"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/corpus" "$WORK/tmp" "$BUILD/artifacts"
# New inputs go to the scratch corpus (first directory); the committed seeds
# are only read. The fuzzer's per-input file lives in WORK/tmp.
rc=0
TMPDIR=$WORK/tmp "$BUILD/bin/gotramp-fuzz-objects" \
  -seed="${GOTRAMP_FUZZ_SEED:-1}" -runs="${GOTRAMP_FUZZ_RUNS:-30000}" \
  -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$BUILD/artifacts/" "$@" "$WORK/corpus" "$HERE/corpus" >"$WORK/log" 2>&1 || rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/log" | tail -n 1)
if [ "$rc" -ne 0 ]; then
  tail -n 80 "$WORK/log"
  echo "FAIL: the fuzzer stopped with status $rc after ${runs:-?} executions; the input is in $BUILD/artifacts:" >&2
  ls -l "$BUILD/artifacts" >&2
  exit 1
fi
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$WORK/log" || true
grep '^stat::' "$WORK/log"
[ -n "$runs" ] || { tail -n 40 "$WORK/log"; echo "FAIL: no stat::number_of_executed_units in the fuzzer's log" >&2; exit 1; }
echo "fuzz.objects: $runs executions (seed ${GOTRAMP_FUZZ_SEED:-1}) in at most $SECONDS_TO_RUN s, no finding ($(ls "$WORK/corpus" | wc -l) new inputs, not kept)"
