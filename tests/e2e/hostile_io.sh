#!/usr/bin/env bash
# e2e.hostile_io: gotramp's files against hostile surroundings (issue 15).
#  - The output set is written as one: a run that fails late leaves the
#    previous set byte for byte, a run waits while another holds the output
#    directory, and concurrent runs into one --out leave one run's whole set.
#  - Files gotramp wrote and no longer writes (another target, another
#    package name) are removed by generate and named by --check; the user's
#    files in --out are left alone.
#  - Every file a user names is read only when it is a regular file, and only
#    up to a cap: /dev/zero, a FIFO, a directory and an oversized (sparse)
#    file are refused with the option and the path, within 20 s.
#  - A config that is not JSON, or gives a key twice, is an error at its line
#    and column.
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

# (At the references' depth: the generated files name the header relative to
# --out, so the sets compare equal.)
step "a relative --out, written twice"
(cd "$WORK" && "$GOTRAMP" generate --header "$H/a.h" --object hostile.o --package hostile \
  --out relpkg >"$WORK/rel1.out" 2>"$WORK/rel1.err") || { cat "$WORK/rel1.err" >&2; fail "generate into a relative --out"; }
(cd "$WORK" && "$GOTRAMP" generate --header "$H/b.h" --object hostile.o --package hostile \
  --out relpkg >"$WORK/rel2.out" 2>"$WORK/rel2.err") || { cat "$WORK/rel2.err" >&2; fail "regenerate into a relative --out"; }
same_set "$WORK/relpkg" "$WORK/b.sum" "a relative --out"

step "a run waits while another holds the output directory"
out=$WORK/locked
gen "$WORK/lock1" "$H/a.h" "$out"
expect_ok "$WORK/lock1" "generate from a.h"
# Held long enough that the run below reaches its write phase even on a
# loaded machine, and so has to wait.
flock "$out" sleep 8 &
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

step "stale gotramp files go, the user's files stay"
compile_native "$H/hostile.c" "$WORK/hostile_arm64.o" --target=aarch64-linux-gnu -ffixed-x28
out=$WORK/stale
per_target=(--object "linux/amd64=$WORK/hostile.o" --object "linux/arm64=$WORK/hostile_arm64.o")
run_gotramp "$WORK/stale1" generate --header "$H/b.h" --package hostile --out "$out" \
  --target linux/amd64 --target linux/arm64 "${per_target[@]}"
expect_ok "$WORK/stale1" "generate for both targets"
for f in hostile_linux_arm64.s hostile_linux_arm64.syso hostile_symbols_linux_arm64.go; do
  [ -f "$out/$f" ] || fail "precondition: no $f for linux/arm64"
done
cp "$out/hostile_linux_arm64.syso" "$WORK/arm64.syso"
# The user's files: Go without gotramp's first line, assembly for a target
# gotramp does not generate, a .syso that is not gotramp's, anything else.
printf 'package hostile\n\n// Twice returns 2*x.\nfunc Twice(x int64) int64 { return HostileAdd(x, x) }\n' >"$out/extra.go"
printf '// hand-written\n' >"$out/handwritten_linux_riscv64.s"
head -c 512 /dev/urandom >"$out/rsrc.syso"
printf 'notes\n' >"$out/NOTES.txt"
user_files=(extra.go handwritten_linux_riscv64.s rsrc.syso NOTES.txt)
(cd "$out" && sha256sum "${user_files[@]}") >"$WORK/user.sum"
# Now for linux/amd64 only: the arm64 files are stale.
gen "$WORK/stale2" "$H/b.h" "$out"
expect_ok "$WORK/stale2" "generate for linux/amd64 only"
for f in hostile_linux_arm64.s hostile_linux_arm64.syso hostile_symbols_linux_arm64.go; do
  [ ! -e "$out/$f" ] || fail "generate for linux/amd64 only left the stale $f"
done
(cd "$out" && sha256sum -c --quiet "$WORK/user.sum") || fail "generate changed the user's files"
run_gotramp "$WORK/stale3" generate --header "$H/b.h" --object "$WORK/hostile.o" --package hostile --out "$out" --check
expect_ok "$WORK/stale3" "--check right after generate, with the user's files in --out"

# Files gotramp wrote under names this package no longer uses.
cp "$out/hostile_linux_amd64.s" "$out/hostile_linux_riscv64.s"
cp "$WORK/arm64.syso" "$out/oldname_linux_arm64.syso"
sed 's/^package hostile$/package oldname/' "$out/hostile.go" >"$out/oldname.go"
run_gotramp "$WORK/stale4" generate --header "$H/b.h" --object "$WORK/hostile.o" --package hostile --out "$out" --check
expect_error "$WORK/stale4" "--check with stale gotramp files"
for f in hostile_linux_riscv64.s oldname_linux_arm64.syso oldname.go; do
  expect_in "$WORK/stale4.out" "--check" "$out/$f: stale, would be removed"
  [ -e "$out/$f" ] || fail "--check removed $f"
done
expect_not_in "$WORK/stale4.out" "--check" "${user_files[@]}"
gen "$WORK/stale5" "$H/b.h" "$out"
expect_ok "$WORK/stale5" "generate over stale gotramp files"
for f in hostile_linux_riscv64.s oldname_linux_arm64.syso oldname.go; do
  [ ! -e "$out/$f" ] || fail "generate left the stale $f"
done
(cd "$out" && sha256sum -c --quiet "$WORK/user.sum") || fail "generate changed the user's files"
(cd "$out" && rm "${user_files[@]}")
same_set "$out" "$WORK/b.sum" "the set once the user's files are taken out"

step "only regular files of a bounded size are read"
mkfifo "$WORK/fifo"
truncate -s $(((1 << 30) + 1)) "$WORK/huge.o"
truncate -s $(((16 << 20) + 1)) "$WORK/huge.json"
never=$WORK/never
n=0
# refuses WHAT PATH WHY GOTRAMP_ARGS...: gotramp ends within 20 s with a clean
# error that starts with "WHAT PATH: " and says WHY, and writes no --out.
refuses() {
  local what=$1 path=$2 why=$3
  shift 3
  n=$((n + 1))
  RC=0
  timeout 20 "$GOTRAMP" "$@" >"$WORK/refuse$n.out" 2>"$WORK/refuse$n.err" || RC=$?
  [ "$RC" -ne 124 ] || fail "gotramp $*: still running after 20 s"
  expect_error "$WORK/refuse$n" "gotramp $*"
  expect_in "$WORK/refuse$n.err" "gotramp $*" "$what $path: $why"
  [ ! -e "$never" ] || fail "gotramp $*: failed but created $never"
}
printf '{"package": "hostile"}\n' >"$WORK/ok.json"
for p in /dev/zero "$WORK/fifo" "$WORK"; do
  case $p in
    /dev/zero) why="is a character device, not a regular file" ;;
    "$WORK/fifo") why="is a FIFO, not a regular file" ;;
    *) why="is a directory, not a regular file" ;;
  esac
  refuses --object "$p" "$why" generate --header "$H/a.h" --object "$p" --package hostile --out "$never"
  refuses --object "$p" "$why" generate --object "$p" --package hostile --out "$never"
  refuses --header "$p" "$why" generate --header "$p" --object "$WORK/hostile.o" --package hostile --out "$never"
  refuses --config "$p" "$why" generate --config "$p" --header "$H/a.h" --object "$WORK/hostile.o" --out "$never"
  refuses --object "$p" "$why" inspect --object "$p"
  refuses binary "$p" "$why" verify "$p"
done
refuses --object "$WORK/huge.o" "is 1073741825 bytes, more than the 1 GiB gotramp reads for it" \
  generate --header "$H/a.h" --object "$WORK/huge.o" --package hostile --out "$never"
refuses --object "$WORK/huge.o" "is 1073741825 bytes, more than the 1 GiB" inspect --object "$WORK/huge.o"
refuses binary "$WORK/huge.o" "is 1073741825 bytes, more than the 1 GiB" verify "$WORK/huge.o"
refuses --config "$WORK/huge.json" "is 16777217 bytes, more than the 16 MiB gotramp reads for it" \
  generate --config "$WORK/huge.json" --header "$H/a.h" --object "$WORK/hostile.o" --out "$never"
# A config file from the config's own "objects" is an --object too.
printf '{"package": "hostile", "objects": ["fifo"], "headers": ["%s"]}\n' "$H/a.h" >"$WORK/fifo.json"
refuses --object "$WORK/fifo" "is a FIFO" generate --config "$WORK/fifo.json" --out "$never"

step "config errors at their line and column"
printf '{\n  "package": "hostile",\n  "strict": tru\n}\n' >"$WORK/bad.json"
run_gotramp "$WORK/badjson" generate --config "$WORK/bad.json" --header "$H/a.h" --object "$WORK/hostile.o" --out "$never"
expect_error "$WORK/badjson" "a config that is not JSON"
first=$(head -n 1 "$WORK/badjson.err")
case $first in
  "$WORK/bad.json:3:13: error: syntax error while parsing value - invalid literal;"*) ;;
  *) show "$WORK/badjson"; fail "the first line does not name bad.json:3:13: $first" ;;
esac
printf '{\n  "package": "other",\n  "functions": {"exclude": ["^x$"]},\n  "package": "hostile"\n}\n' >"$WORK/twice.json"
run_gotramp "$WORK/twice" generate --config "$WORK/twice.json" --header "$H/a.h" --object "$WORK/hostile.o" --out "$never"
expect_error "$WORK/twice" "a config that gives \"package\" twice"
expect_in "$WORK/twice.err" "a repeated key" \
  "$WORK/twice.json:4:3: error: duplicate key 'package' (first on line 2)"
[ ! -e "$never" ] || fail "a config error created $never"

echo "ok"
