#!/usr/bin/env bash
# e2e.skip_unsupported: functions that cannot be bound are skipped with a
# file:line:col warning naming them and why, the rest of the package still
# generates, vets, builds and runs; --strict turns the skips into errors and
# writes nothing.
source "$(dirname "$0")/lib.sh"

HEADER=testdata/skip.h # as passed on the command line, so as printed
BOUND=(skip_first skip_last)
# name:keyword in the reason
SKIPPED=(
  "skip_long_double:long double"
  "skip_struct_by_value:bit-fields cannot be passed by value"
  "skip_variadic:variadic"
  "skip_int128:128-bit integer"
  "skip_complex:_Complex"
  "skip_static:static"
  "skip_knr:prototype"
)

compile_native "$TESTDATA/skip.c" "$WORK/skip.o"
new_module "$WORK/mod" e2e.test/skip
OUT=$WORK/mod/skiptest

cd "$E2E"

# expect_skips LOG SEVERITY: one "HEADER:LINE:COL: SEVERITY: skipping 'NAME': ..."
# line per skipped function, with the keyword of its reason.
expect_skips() {
  local log=$1 severity=$2 entry name keyword loc prefix line
  for entry in "${SKIPPED[@]}"; do
    name=${entry%%:*}
    keyword=${entry#*:}
    loc=$(location "$HEADER" "$name")
    prefix="$HEADER:$loc: $severity: skipping '$name': "
    line=$(grep -F -- "$prefix" "$log.err" | head -n 1 || true)
    if [ -z "$line" ] || [ "${line#"$prefix"}" = "$line" ]; then
      show "$log"
      fail "no line starting with \"$prefix\""
    fi
    case $line in
    *"$keyword"*) ;;
    *) fail "the reason for skipping $name does not mention '$keyword': $line" ;;
    esac
  done
  for name in "${BOUND[@]}"; do
    expect_not_in "$log.err" "bindable function" "'$name'"
  done
  local count
  count=$(grep -c -- ": $severity: skipping '" "$log.err" || true)
  [ "$count" -eq "${#SKIPPED[@]}" ] ||
    fail "$count '$severity: skipping' lines, expected ${#SKIPPED[@]}"
}

step "generate: warnings for the unsupported functions, package for the others"
run_gotramp "$WORK/gen" generate --header "$HEADER" --object "$WORK/skip.o" \
  --package skiptest --out "$OUT"
expect_ok "$WORK/gen" "generate with unsupported functions"
expect_skips "$WORK/gen" warning
expect_in "$WORK/gen.err" "summary line" "skiptest: 2 function(s) bound, 7 skipped, for linux/amd64"

for f in skiptest.go skiptest_linux_amd64.s skiptest_linux_amd64.syso gotramp-report.json; do
  [ -f "$OUT/$f" ] || fail "generate did not write $f"
done
[ ! -e "$OUT/skiptest_dynimport_linux_amd64.go" ] || fail "unexpected dynamic-import glue"
declared=$(grep -o '^func [A-Za-z0-9_]*' "$OUT/skiptest.go" | sort | tr '\n' ' ')
[ "$declared" = "func SkipFirst func SkipLast " ] ||
  fail "skiptest.go declares '$declared', expected SkipFirst and SkipLast only"
[ "$(json "$OUT/gotramp-report.json" '[f["c_name"] for f in r["functions"]]')" = '["skip_first", "skip_last"]' ] ||
  fail "report functions: $(json "$OUT/gotramp-report.json" '[f["c_name"] for f in r["functions"]]')"
# The header lies outside the output's module: the report names it by file name.
want_skipped=$(for e in "${SKIPPED[@]}"; do printf '%s:%s:%s\n' "${e%%:*}" "${HEADER##*/}" "$(location "$HEADER" "${e%%:*}")"; done)
got_skipped=$(json "$OUT/gotramp-report.json" '"\n".join(s["c_name"] + ":" + s["location"] for s in r["skipped"] if s["reason"])')
if [ "$got_skipped" != "$want_skipped" ]; then
  printf 'got:\n%s\nwant:\n%s\n' "$got_skipped" "$want_skipped" >&2
  fail "the report's skipped list (name:location, each with a reason) is wrong"
fi

step "the generated package vets, builds and runs (CGO_ENABLED=0)"
cat >"$OUT/skip_test.go" <<'EOF'
package skiptest

import "testing"

func TestBoundFunctions(t *testing.T) {
	if got := SkipFirst(-7, 123456); got != 116456 {
		t.Errorf("SkipFirst(-7, 123456) = %d, want 116456", got)
	}
	// b is an int32: -1 must reach C sign-extended.
	if got := SkipFirst(1<<40, -1); got != 1<<40*1000-1 {
		t.Errorf("SkipFirst(1<<40, -1) = %d, want %d", got, int64(1<<40*1000-1))
	}
	if got := SkipLast(5, 8); got != -3 {
		t.Errorf("SkipLast(5, 8) = %d, want -3", got)
	}
}
EOF
unformatted=$(gofmt -l "$OUT")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"
cd "$WORK/mod"
CGO_ENABLED=0 go vet ./... || fail "go vet fails on the generated package"
CGO_ENABLED=0 go test -count=1 ./... || fail "go test fails on the generated package"
cd "$E2E"

step "--strict: the same input is an error and writes nothing"
mkdir "$WORK/strict-empty"
for out in "$WORK/strict-new" "$WORK/strict-empty"; do
  run_gotramp "$WORK/strict" generate --strict --header "$HEADER" --object "$WORK/skip.o" \
    --package skiptest --out "$out"
  expect_error "$WORK/strict" "--strict with unsupported functions"
  expect_skips "$WORK/strict" error
  expect_not_in "$WORK/strict.err" "--strict" "warning: skipping"
  expect_in "$WORK/strict.err" "--strict summary" "7 function(s) cannot be bound"
done
[ ! -e "$WORK/strict-new" ] || fail "--strict failed but created the output directory"
[ -z "$(ls -A "$WORK/strict-empty")" ] ||
  fail "--strict failed but wrote into the output directory: $(ls -A "$WORK/strict-empty")"
echo "PASS"
