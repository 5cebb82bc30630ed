#!/usr/bin/env bash
# e2e.one_run: one generate run reports every problem at once, for both
# targets: an unsupported type, undefined symbols reached through a chain of
# calls, a weak undefined reference, a declared but undefined function, and
# an undefined symbol that a bound function only
# "reaches" because its object was compiled without -ffunction-sections. Each
# such function is skipped with one warning, the rest is generated and runs
# on linux/amd64 and linux/arm64 (qemu), and the closing note is one config
# snippet that, applied, silences them all. --strict makes them errors. A
# function whose stack bound is unknown is bound on the own_stack path
# (functions.unknown_bound's default) and runs; with "unknown_bound":
# "error" it is skipped like the others.
source "$(dirname "$0")/lib.sh"

HEADER=testdata/onerun.h # as passed on the command line, so as printed
BOUND=(onerun_add onerun_twice onerun_fib)
# name:text the reason must contain
SKIPPED=(
  "onerun_ld:'long double' has no Go equivalent"
  "onerun_alloc:it needs symbol 'malloc' (onerun_alloc -> onerun_alloc_inner -> onerun_grow -> malloc), which no object defines"
  "onerun_traced:weak reference to 'onerun_trace_hook' (onerun_traced -> onerun_trace_hook)"
  "onerun_missing:no object ($WORK/onerun_amd64.o, $WORK/legacy_amd64.o) defines symbol 'onerun_missing'"
  "onerun_legacy:'free' is referenced by 'onerun_legacy_free', kept only because it shares section .text of $WORK/legacy_amd64.o with 'onerun_legacy': compile with -ffunction-sections -fdata-sections"
  "onerun_legacy_free:it needs symbol 'free' (onerun_legacy_free -> free)"
)

for arch in amd64 arm64; do
  flags=(--target=x86_64-linux-gnu)
  [ "$arch" = arm64 ] && flags=(--target=aarch64-linux-gnu -ffixed-x28)
  compile_native "$TESTDATA/onerun.c" "$WORK/onerun_$arch.o" "${flags[@]}" \
    -ffunction-sections -fdata-sections
  # One .text for both functions, as a build without the recommended flags.
  compile_native "$TESTDATA/onerun_legacy.c" "$WORK/legacy_$arch.o" "${flags[@]}"
done
readelf -SW "$WORK/legacy_amd64.o" | grep -c ' \.text\.' >/dev/null &&
  fail "precondition: legacy_amd64.o has per-function sections"

new_module "$WORK/mod" e2e.test/onerun
OUT=$WORK/mod/onerun
INPUTS=(--header "$HEADER" --target linux/amd64 --target linux/arm64
  --object "linux/amd64=$WORK/onerun_amd64.o" --object "linux/amd64=$WORK/legacy_amd64.o"
  --object "linux/arm64=$WORK/onerun_arm64.o" --object "linux/arm64=$WORK/legacy_arm64.o"
  --package onerun)
cd "$E2E"

# expect_skips LOG SEVERITY: exactly one "HEADER:LINE:COL: SEVERITY: skipping
# 'NAME': ..." line per skipped function, containing its text.
expect_skips() {
  local log=$1 severity=$2 entry name text prefix line count
  for entry in "${SKIPPED[@]}"; do
    name=${entry%%:*}
    text=${entry#*:}
    prefix="$HEADER:$(location "$HEADER" "$name"): $severity: skipping '$name': "
    line=$(grep -F -- "$prefix" "$log.err" || true)
    [ -n "$line" ] || { show "$log"; fail "no line starting with \"$prefix\""; }
    case $line in
    *"$text"*) ;;
    *) fail "the reason for skipping $name does not contain \"$text\": $line" ;;
    esac
  done
  for name in "${BOUND[@]}"; do
    expect_not_in "$log.err" "bindable function" "'$name'"
  done
  count=$(grep -c -- ": $severity: skipping '" "$log.err" || true)
  [ "$count" -eq "${#SKIPPED[@]}" ] || { show "$log"; fail "$count skip lines, expected ${#SKIPPED[@]}"; }
}

step "one run: a warning per skipped function, one snippet at the end, a package for the rest"
run_gotramp "$WORK/gen" generate "${INPUTS[@]}" --out "$OUT"
expect_ok "$WORK/gen" "generate with every kind of problem"
expect_skips "$WORK/gen" warning
expect_in "$WORK/gen.err" "summary" "onerun: 3 function(s) bound, 6 skipped, for linux/amd64 linux/arm64"
snippet=$(tail -n 1 "$WORK/gen.err")
want='gotramp: 6 function(s) skipped; to bind the rest without these messages, add to the config: "functions": {"exclude": ["^onerun_ld$", "^onerun_alloc$", "^onerun_traced$", "^onerun_missing$", "^onerun_legacy$", "^onerun_legacy_free$"]}'
[ "$snippet" = "$want" ] || fail "the last line is not the one snippet: $snippet"
declared=$(grep -o '^func [A-Za-z0-9_]*' "$OUT/onerun.go" | sort | tr '\n' ' ')
[ "$declared" = "func OnerunAdd func OnerunFib func OnerunTwice " ] || fail "onerun.go declares '$declared'"
[ "$(json "$OUT/gotramp-report.json" 'len(r["skipped"])')" = 6 ] || fail "the report does not list 6 skipped functions"
for arch in amd64 arm64; do
  got=$(json "$OUT/gotramp-report.json" '[f["targets"]["linux/'$arch'"]["call_path"] + " | " + f["targets"]["linux/'$arch'"]["call_path_reason"] for f in r["functions"] if f["c_name"] == "onerun_fib"][0]')
  case $got in
  'own_stack | stack bound unknown: recursion: onerun_fib -> onerun_fib; functions.unknown_bound is "own_stack"') ;;
  *) fail "onerun_fib on $arch: want the own_stack path for its unknown bound, the report says: $got" ;;
  esac
done
# Generated files are committed: they name inputs outside the output's module
# (here all of them) by file name only, never by a machine's absolute path.
if grep -r -l -F -e "$WORK" -e "$SRC" "$OUT"; then
  fail "generated files name an absolute path (listed above)"
fi
reason=$(json "$OUT/gotramp-report.json" '[s["reason"] for s in r["skipped"] if s["c_name"] == "onerun_missing"][0]')
case $reason in
*"no object (onerun_amd64.o, legacy_amd64.o) defines symbol 'onerun_missing'"*) ;;
*) fail "the report's reason for onerun_missing names its objects differently: $reason" ;;
esac
[ "$(json "$OUT/gotramp-report.json" 'r["headers"][0]')" = onerun.h ] ||
  fail "the report names the header as $(json "$OUT/gotramp-report.json" 'r["headers"][0]')"
# Skipped functions take their code with them (each object has one section per function).
for arch in amd64 arm64; do
  if grep -a -q 'onerun_grow' "$OUT/onerun_symbols_linux_$arch.go"; then
    fail "onerun_grow (only reached by the skipped onerun_alloc) is still packed for $arch"
  fi
done

step "the package vets and runs on linux/amd64 and linux/arm64 (CGO_ENABLED=0)"
cat >"$OUT/onerun_test.go" <<'EOF'
package onerun

import "testing"

func TestBound(t *testing.T) {
	if got := OnerunAdd(-5, 1<<40); got != 1<<40-5 {
		t.Errorf("OnerunAdd = %d", got)
	}
	if got := OnerunTwice(-21); got != -42 {
		t.Errorf("OnerunTwice(-21) = %d, want -42", got)
	}
	if got := OnerunFib(30); got != 832040 { // on the own stack
		t.Errorf("OnerunFib(30) = %d, want 832040", got)
	}
}
EOF
[ -z "$(gofmt -l "$OUT")" ] || fail "gofmt -l lists: $(gofmt -l "$OUT")"
(cd "$WORK/mod" && GOFLAGS=-mod=mod CGO_ENABLED=0 go vet ./... &&
  GOFLAGS=-mod=mod CGO_ENABLED=0 go test -count=1 ./... &&
  GOFLAGS=-mod=mod GOARCH=arm64 go vet ./... &&
  GOFLAGS=-mod=mod GOARCH=arm64 CGO_ENABLED=0 go test -count=1 -exec qemu-aarch64-static ./...) ||
  fail "the generated package does not vet or run"

step "--strict: every problem is an error, in the same one run, and nothing is written"
run_gotramp "$WORK/strict" generate --strict "${INPUTS[@]}" --out "$WORK/strict-out"
expect_error "$WORK/strict" "--strict"
expect_skips "$WORK/strict" error
expect_in "$WORK/strict.err" "--strict" "--strict: 6 function(s) cannot be bound"
expect_not_in "$WORK/strict.err" "--strict" "'onerun_fib'"

step '"unknown_bound": "error" skips onerun_fib too, naming the policy'
printf '{"functions": {"unknown_bound": "error"}}\n' >"$WORK/strictbound.json"
run_gotramp "$WORK/bounderr" generate --config "$WORK/strictbound.json" "${INPUTS[@]}" \
  --out "$WORK/mod/bounderr"
expect_ok "$WORK/bounderr" "generate with unknown_bound error"
expect_in "$WORK/bounderr.err" "unknown_bound error" \
  "skipping 'onerun_fib': its stack bound is unknown: recursion: onerun_fib -> onerun_fib (functions.unknown_bound is \"error\"" \
  "7 function(s) skipped"
[ ! -e "$WORK/strict-out" ] || fail "--strict failed but created the output directory"

step "the printed snippet, added to a config, leaves nothing to warn about"
exclude=${snippet#*add to the config: }
printf '{%s}\n' "$exclude" >"$WORK/gotramp.json"
run_gotramp "$WORK/quiet" generate --config "$WORK/gotramp.json" "${INPUTS[@]}" --out "$WORK/mod/quiet"
expect_ok "$WORK/quiet" "generate with the snippet applied"
expect_not_in "$WORK/quiet.err" "the snippet applied" "warning" "skipped;"
cmp "$OUT/onerun_linux_amd64.syso" "$WORK/mod/quiet/onerun_linux_amd64.syso" ||
  fail "excluding the skipped functions changed the packed code"

step "with -ffunction-sections, excluding onerun_legacy_free drops its code and onerun_legacy binds"
compile_native "$TESTDATA/onerun_legacy.c" "$WORK/legacy_amd64.o" --target=x86_64-linux-gnu \
  -ffunction-sections -fdata-sections
compile_native "$TESTDATA/onerun_legacy.c" "$WORK/legacy_arm64.o" --target=aarch64-linux-gnu \
  -ffixed-x28 -ffunction-sections -fdata-sections
printf '{"functions": {"exclude": ["^onerun_legacy_free$"]}}\n' >"$WORK/legacy.json"
run_gotramp "$WORK/split" generate --config "$WORK/legacy.json" "${INPUTS[@]}" --out "$WORK/mod/split"
expect_ok "$WORK/split" "generate with per-function sections"
grep -q '^func OnerunLegacy(' "$WORK/mod/split/onerun.go" || { show "$WORK/split"; fail "onerun_legacy is not bound"; }
expect_not_in "$WORK/split.err" "per-function sections" "'onerun_legacy'" "'onerun_legacy_free'"
echo "PASS"
