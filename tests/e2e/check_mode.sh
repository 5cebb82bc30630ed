#!/usr/bin/env bash
# `gotramp generate --check`: silent and 0 on up-to-date output; non-zero with
# a diff naming the file when a generated file was edited, is missing, or a
# stale glue file is left over.
source "$(dirname "$0")/lib.sh"

compile_native "$TESTDATA/skip.c" "$WORK/skip.o"
args=(generate --header "$TESTDATA/skip.h" --object "$WORK/skip.o" --package skip --out "$WORK/pkg")
run_gotramp "$WORK/gen" "${args[@]}"
expect_ok "$WORK/gen" "generate"

step "up to date"
run_gotramp "$WORK/check1" "${args[@]}" --check
expect_ok "$WORK/check1" "--check on fresh output"
[ ! -s "$WORK/check1.out" ] || { show "$WORK/check1"; fail "--check printed a diff for fresh output"; }

step "an edited file"
sed -i 's/^func SkipFirst(/func SkipFirstEdited(/' "$WORK/pkg/skip.go"
run_gotramp "$WORK/check2" "${args[@]}" --check
expect_error "$WORK/check2" "--check on an edited file"
grep -q -- "--- $WORK/pkg/skip.go (on disk)" "$WORK/check2.out" || { show "$WORK/check2"; fail "no diff header"; }
grep -q -- "^-func SkipFirstEdited(" "$WORK/check2.out" || { show "$WORK/check2"; fail "diff misses the edited line"; }
grep -q -- "^+func SkipFirst(" "$WORK/check2.out" || { show "$WORK/check2"; fail "diff misses the generated line"; }
grep -q "out of date" "$WORK/check2.err" || { show "$WORK/check2"; fail "no 'out of date' error"; }
grep -q "^func SkipFirstEdited(" "$WORK/pkg/skip.go" || fail "--check modified the file"

step "a missing file and a stale glue file"
run_gotramp "$WORK/regen" "${args[@]}"
rm "$WORK/pkg/skip_linux_amd64.syso"
touch "$WORK/pkg/skip_dynimport_linux_amd64.go"
run_gotramp "$WORK/check3" "${args[@]}" --check
expect_error "$WORK/check3" "--check with a missing .syso"
grep -q "skip_linux_amd64.syso: missing" "$WORK/check3.out" || { show "$WORK/check3"; fail "missing .syso not reported"; }
grep -q "skip_dynimport_linux_amd64.go: stale" "$WORK/check3.out" || { show "$WORK/check3"; fail "stale glue not reported"; }
[ ! -e "$WORK/pkg/skip_linux_amd64.syso" ] || fail "--check wrote a file"
echo "ok"
