#!/usr/bin/env bash
# e2e.hostile_io: gotramp's files against hostile surroundings (issue 15).
#  - The output set is written as one: a run that fails late leaves the
#    previous set byte for byte, a run waits while another holds the output
#    directory, and concurrent runs into one --out leave one run's whole set.
source "$(dirname "$0")/lib.sh"

H=$TESTDATA/hostile
compile_native "$H/hostile.c" "$WORK/hostile.o"

# gen LOG HEADER OUT [args...]: generate package hostile from HEADER into OUT.
gen() {
  local log=$1 header=$2 out=$3
  shift 3
  run_gotramp "$log" generate --header "$header" --object "$WORK/hostile.o" --package hostile \
    --out "$out" "$@"
}

# snapshot DIR: every file under DIR (hidden ones too) with its SHA-256.
snapshot() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }

# same_set DIR REF.sum what: DIR holds exactly the files of REF.sum.
same_set() {
  if ! diff -u "$2" <(snapshot "$1") >"$WORK/set.diff"; then
    cat "$WORK/set.diff" >&2
    fail "$3: $1 is not the expected set (diff above: - expected, + found)"
  fi
}

step "references: each header generated alone"
gen "$WORK/ref_a" "$H/a.h" "$WORK/ref_a"
expect_ok "$WORK/ref_a" "generate from a.h"
gen "$WORK/ref_b" "$H/b.h" "$WORK/ref_b"
expect_ok "$WORK/ref_b" "generate from b.h"
snapshot "$WORK/ref_a" >"$WORK/a.sum"
snapshot "$WORK/ref_b" >"$WORK/b.sum"
# Preconditions: the two sets differ in content and in their file names.
! cmp -s "$WORK/a.sum" "$WORK/b.sum" || fail "precondition: a.h and b.h give the same set"
[ -e "$WORK/ref_b/hostile_layout_test.go" ] && [ ! -e "$WORK/ref_a/hostile_layout_test.go" ] ||
  fail "precondition: only b.h's set has a layout test"

step "a run that fails on its last file leaves the previous set untouched"
out=$WORK/late
gen "$WORK/late1" "$H/a.h" "$out"
expect_ok "$WORK/late1" "generate from a.h"
# The report is the last file of the set; a directory in its place makes the
# run fail only when it gets there.
rm "$out/gotramp-report.json"
mkdir "$out/gotramp-report.json"
snapshot "$out" >"$WORK/late.sum"
gen "$WORK/late2" "$H/b.h" "$out"
expect_error "$WORK/late2" "generate over a directory named gotramp-report.json"
expect_in "$WORK/late2.err" "the failed run's message" "$out/gotramp-report.json"
same_set "$out" "$WORK/late.sum" "after the failed run"
[ -d "$out/gotramp-report.json" ] || fail "the failed run removed the directory in the way"
rmdir "$out/gotramp-report.json"
gen "$WORK/late3" "$H/b.h" "$out"
expect_ok "$WORK/late3" "generate from b.h once the way is clear"
same_set "$out" "$WORK/b.sum" "after the run that succeeded"

step "a run waits while another holds the output directory"
out=$WORK/locked
gen "$WORK/lock1" "$H/a.h" "$out"
expect_ok "$WORK/lock1" "generate from a.h"
flock "$out" sleep 5 &
holder=$!
for _ in $(seq 50); do
  flock -n "$out" true || break
  sleep 0.1
done
! flock -n "$out" true || fail "precondition: flock(1) did not take the lock on $out"
gen "$WORK/lock2" "$H/b.h" "$out" &
runner=$!
sleep 3
kill -0 "$runner" 2>/dev/null || fail "gotramp finished while another process held the lock on $out"
same_set "$out" "$WORK/a.sum" "while the lock was held"
wait "$holder"
wait "$runner" || RC=$?
expect_ok "$WORK/lock2" "generate once the lock was released"
expect_in "$WORK/lock2.err" "the note on waiting" "waiting for another process writing $out"
same_set "$out" "$WORK/b.sum" "after the waiting run"

step "8 concurrent runs into one --out leave one run's whole set"
for round in 1 2 3 4 5 6 7 8; do
  out=$WORK/concurrent$round
  pids=()
  for i in 1 2 3 4 5 6 7 8; do
    header=$H/a.h
    [ $((i % 2)) -eq 0 ] && header=$H/b.h
    "$GOTRAMP" generate --header "$header" --object "$WORK/hostile.o" --package hostile \
      --out "$out" >"$WORK/conc$round.$i.out" 2>"$WORK/conc$round.$i.err" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { cat "$WORK/conc$round.$((i + 1)).err" >&2; fail "round $round: run $((i + 1)) failed"; }
  done
  snapshot "$out" >"$WORK/conc$round.sum"
  if ! cmp -s "$WORK/conc$round.sum" "$WORK/a.sum" && ! cmp -s "$WORK/conc$round.sum" "$WORK/b.sum"; then
    diff -u "$WORK/a.sum" "$WORK/conc$round.sum" >&2 || true
    diff -u "$WORK/b.sum" "$WORK/conc$round.sum" >&2 || true
    fail "round $round: $out is neither a.h's set nor b.h's (diffs above)"
  fi
done

echo "ok"
