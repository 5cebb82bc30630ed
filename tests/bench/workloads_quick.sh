#!/usr/bin/env bash
# bench.workloads_quick: bench/workloads/run.sh --quick on a copy of
# bench/workloads/, so that the real-workload benchmark (crates compiled,
# gotramp packages generated, cgo packages, C loop, checks of every path,
# one short round, one case's instruction counts, report) keeps working.
# The figures are thrown away, and nothing is written into the source tree.
#
#   bash tests/bench/workloads_quick.sh GOTRAMP SOURCE_DIR
#
# Exits 77 (ctest: skipped) when cargo is not installed.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 GOTRAMP SOURCE_DIR" >&2
  exit 2
fi
if ! command -v cargo >/dev/null; then
  echo "SKIP: cargo is not on PATH; it brings the libraries' sources"
  exit 77
fi
gotramp=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-workloads-quick.XXXXXX")
trap 'rm -rf "$work"' EXIT

# bench/workloads/go.mod replaces the shim module with ../../runtime-shims/go.
mkdir -p "$work/repo/runtime-shims" "$work/repo/bench"
cp -r "$src/runtime-shims/go" "$work/repo/runtime-shims/go"
cp -r "$src/bench/workloads" "$work/repo/bench/workloads"
rm -rf "$work/repo/bench/workloads/out" "$work/repo/bench/workloads/gen"
GOTRAMP=$gotramp bash "$work/repo/bench/workloads/run.sh" --quick --out "$work/results"

fail() { echo "FAIL: $*" >&2; exit 1; }
results=$work/results/WORKLOADS.md
[ -s "$results" ] || fail "run.sh wrote no WORKLOADS.md"
grep -q '<svg' "$work/results/workloads.svg" || fail "workloads.svg is not an SVG"
# Every case has a gotramp, cgo and C loop figure, and the SQLite cases
# pure Go and mattn figures too. Units as alternatives, not a bracket: in
# the C locale a bracket holds µ's two bytes as two characters.
for c in lz4.compress/1KiB lz4.decompress/64KiB zstd.compress.l1/1KiB zstd.compress.l3/64KiB \
  zstd.decompress/1KiB zlib.crc32/64B zlib.adler32/4KiB zlib.deflate/1KiB zlib.inflate/64KiB; do
  grep -qE "^\| \`$c\` \| [0-9.]+ (ns|µs|ms) \| [0-9.]+ (ns|µs|ms) \| [0-9.]+ (ns|µs|ms) \| [0-9.]+ (ns|µs|ms) \|" "$results" ||
    fail "WORKLOADS.md has no gotramp, cgo, C loop and pure Go figures for $c"
done
grep -qE '^\| `sqlite.point`, sqlite3_step on own_stack \| [0-9.]+ (ns|µs|ms) \| [0-9.]+ (ns|µs|ms) \| [0-9.]+ (ns|µs|ms) \| [0-9.]+ (ns|µs|ms) \| [0-9.]+ (ns|µs|ms) \|' "$results" ||
  fail "WORKLOADS.md has no figures for the point query with sqlite3_step on own_stack"
grep -q '^| sqliteos | `sqlite3_step` | `own_stack` |' "$results" ||
  fail "WORKLOADS.md does not show sqlite3_step on own_stack in the call-path table"
# --quick counts the instructions of zlib.adler32/64B through every path;
# the C loop's count is deterministic, so it must be there as a number.
grep -qE '^\| `zlib.adler32/64B` \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [+-][0-9]+ \| [+-][0-9]+ \| [0-9]+ \|$' "$results" ||
  fail "WORKLOADS.md has no instruction counts for zlib.adler32/64B (gotramp, cgo, C loop, pure Go)"
echo "bench.workloads_quick: 1 passed, 0 failed"
