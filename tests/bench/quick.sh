#!/usr/bin/env bash
# bench.quick: bench/run.sh --quick on a copy of bench/, so that the whole
# harness (native build, gotramp generation, loops, correctness tests,
# benchmarks, callgrind, hyperfine, hello-world sizes, report) keeps working.
# The figures are thrown away, and nothing is written into the source tree.
#
#   bash tests/bench/quick.sh GOTRAMP SOURCE_DIR
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 GOTRAMP SOURCE_DIR" >&2
  exit 2
fi
gotramp=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-bench-quick.XXXXXX")
trap 'rm -rf "$work"' EXIT

# bench/go.mod replaces the shim module (imported by generated packages)
# with ../runtime-shims/go: copy that alongside.
mkdir -p "$work/repo/runtime-shims"
cp -r "$src/runtime-shims/go" "$work/repo/runtime-shims/go"
cp -r "$src/bench" "$work/repo/bench"
rm -rf "$work/repo/bench/results" "$work/repo/bench/native/out" "$work/repo/bench/workloads/out" \
  "$work/repo/bench/workloads/gen"
GOTRAMP=$gotramp bash "$work/repo/bench/run.sh" --quick --out "$work/results"

fail() { echo "FAIL: $*" >&2; exit 1; }
# run.sh regenerated the gotramp packages and the loops in the copy: the
# committed ones must be what this gotramp writes.
for dir in "$src"/bench/paths/*/ "$src/bench/loops/"; do
  rel=${dir#"$src/bench/"}
  [ "$rel" = loops/ ] || [ -f "$dir/gotramp.json" ] || continue
  diff -r "$dir" "$work/repo/bench/$rel" ||
    fail "bench/$rel is stale: the generator now writes the files above; run bench/run.sh (or gotramp generate --config gotramp.json there, then go run ./cmd/gen) and commit"
done
results=$work/results/RESULTS.md
[ -s "$results" ] || fail "run.sh wrote no RESULTS.md"
grep -q '<svg' "$work/results/ns_per_call.svg" || fail "ns_per_call.svg is not an SVG"
for section in "Call overhead: ns per call" "instructions per call" "Callbacks: one C→Go round trip" "xxHash" \
  "Calls into a shared library" "Generator speed" "Binary size"; do
  grep -q "$section" "$results" || fail "RESULTS.md has no '$section' section"
done
for row in "gotramp direct" "gotramp own_stack" "gotramp blocking" "gotramp blocking_own_stack"; do
  grep -q "^| $row | [0-9]" "$results" || fail "RESULTS.md has no $row figures"
done
# The callback rows, in the detailed table (the summary table's labels carry
# footnote marks).
for row in "gotramp callback" "gotramp blocking_callback" "cgo //export" "purego NewCallback"; do
  for c in "round trip C→Go→C" "outer call, no callback" "outer call + 1 round trip"; do
    grep -qF "| $c | $row | " "$results" && ! grep -qF "| $c | $row | n" "$results" ||
      fail "RESULTS.md has no '$c' figure for $row"
  done
done
# The shared-library rows, the C loop's included (label, call path column,
# then a figure), and the 5x target computed from them.
for row in "gotramp own_stack" "gotramp direct" "gotramp own_stack, static binary" "cgo -lz" \
  "purego RegisterLibFunc" "purego SyscallN" "C loop (floor)"; do
  sed 's/<sup>[0-9]*<\/sup>//g' "$results" | awk -F' [|] ' -v row="$row" \
    '$1 == "| " row && $2 ~ /^(`[a-z_]+`|—)$/ && $3 ~ /^[0-9]/ { found = 1 } END { exit !found }' ||
    fail "RESULTS.md has no shared-library figure for $row"
done
grep -q '^\*\*5× cheaper than cgo\*\* would take [0-9]' "$results" ||
  fail "RESULTS.md does not give the 5x target of the shared-library rows"
echo "bench.quick: 1 passed, 0 failed"
