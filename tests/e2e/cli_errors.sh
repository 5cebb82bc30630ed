#!/usr/bin/env bash
# e2e.cli_errors: every user mistake ends in a clean non-zero exit with a
# message that names what is wrong, and a failed run writes no files; --help
# documents every flag. (A function that cannot be bound is only skipped
# without --strict: tests/e2e/one_run.sh.)
source "$(dirname "$0")/lib.sh"

compile_native "$TESTDATA/missing.c" "$WORK/missing.o"
compile_native "$TESTDATA/missing.c" "$WORK/missing_arm64.o" --target=aarch64-linux-gnu
compile_native "$TESTDATA/memcpy.c" "$WORK/memcpy.o"
compile_native "$TESTDATA/nonpic.c" "$WORK/nonpic.o" -fno-pic -mcmodel=kernel

# Preconditions: the inputs really have the property each case is about.
readelf -h "$WORK/missing_arm64.o" | grep -c 'AArch64' >/dev/null || fail "precondition: missing_arm64.o is not AArch64"
readelf -rW "$WORK/memcpy.o" | grep -c 'memcpy' >/dev/null || fail "precondition: memcpy.o does not reference memcpy"
readelf -rW "$WORK/nonpic.o" | grep -c 'R_X86_64_32S' >/dev/null || fail "precondition: nonpic.o has no R_X86_64_32S"

N=0
# fails NAME TEXT... -- GOTRAMP_ARGS...: gotramp must fail cleanly, print each
# TEXT on stderr and not create the output directory (--out "$OUTDIR", set
# here, unique per case).
fails() {
  local name=$1 texts=()
  shift
  while [ "$1" != "--" ]; do
    texts+=("$1")
    shift
  done
  shift
  N=$((N + 1))
  step "$name"
  run_gotramp "$WORK/case$N" "$@"
  expect_error "$WORK/case$N" "$name"
  expect_in "$WORK/case$N.err" "$name" "${texts[@]}"
  if [ -e "$OUTDIR" ]; then
    fail "$name: gotramp failed but created $OUTDIR: $(ls -A "$OUTDIR")"
  fi
}

cd "$E2E"
MISSING_H=testdata/missing.h
OUTDIR=$WORK/out1
fails "--strict: a header function whose symbol no object defines" \
  "$MISSING_H:$(location "$MISSING_H" missing_undefined): error: skipping 'missing_undefined'" \
  "no object ($WORK/missing.o) defines symbol 'missing_undefined_impl'" "--strict: 1 function(s)" -- \
  generate --strict --header "$MISSING_H" --object "$WORK/missing.o" --package p --out "$OUTDIR"
expect_not_in "$WORK/case$N.err" "missing symbol" "'missing_defined'"

OUTDIR=$WORK/out2
fails "an aarch64 object for linux/amd64" \
  "$WORK/missing_arm64.o" "aarch64" "linux/amd64" -- \
  generate --header "$MISSING_H" --object "$WORK/missing_arm64.o" --package p --out "$OUTDIR"

OUTDIR=$WORK/out3
compile_native "$TESTDATA/malloc.c" "$WORK/malloc.o"
fails "an object whose only function calls an undefined malloc" \
  "skipping 'malloc_block': it needs symbol 'malloc' (malloc_block -> malloc), which no object defines" \
  '"functions": {"exclude": ["^malloc_block$"]}' "nothing to bind" -- \
  generate --header testdata/malloc.h --object "$WORK/malloc.o" --package p --out "$OUTDIR"

step "memcpy is provided by the freestanding shims (runtime-shims/mem), packed only when referenced"
run_gotramp "$WORK/memcpy_ok" generate --header testdata/memcpy.h --object "$WORK/memcpy.o" \
  --package p --out "$WORK/memcpy_pkg"
expect_ok "$WORK/memcpy_ok" "an object calling memcpy"
python3 - "$WORK/memcpy_pkg/gotramp-report.json" <<'PY' || fail "the report does not list the memcpy shim"
import json, sys
t = json.load(open(sys.argv[1]))["targets"]["linux/amd64"]
assert t.get("shims") == ["memcpy"], t
PY

OUTDIR=$WORK/out4
fails "a non-PIC object (R_X86_64_32S)" \
  "R_X86_64_32S" "-fPIC" -- \
  generate --header testdata/nonpic.h --object "$WORK/nonpic.o" --package p --out "$OUTDIR"

OUTDIR=$WORK/out4b
compile_native testdata/recursive.c "$WORK/recursive.o"
printf '{"functions": {"unknown_bound": "error"}}\n' >"$WORK/unknown_error.json"
fails "--strict, unknown_bound error: a recursive function, whose stack bound is unknown" \
  "testdata/recursive.h:$(location testdata/recursive.h rec_sum): error: skipping 'rec_sum': its stack bound is unknown: recursion: rec_sum -> rec_sum" \
  "functions.overrides.rec_sum.frame_bytes" '"unknown_bound": "own_stack"' -- \
  generate --strict --config "$WORK/unknown_error.json" --header testdata/recursive.h \
  --object "$WORK/recursive.o" --package p --out "$OUTDIR"
expect_not_in "$WORK/case$N.err" "a bounded function" "'rec_leaf'"
step "--strict with the default unknown_bound: the recursive function gets own_stack"
run_gotramp "$WORK/rec_own" generate --strict --header testdata/recursive.h --object "$WORK/recursive.o" \
  --package p --out "$WORK/rec_own_pkg"
expect_ok "$WORK/rec_own" "the default unknown_bound"
grep -q 'TEXT ·RecSum(SB), NOSPLIT, \$0-16' "$WORK/rec_own_pkg/p_linux_amd64.s" &&
  grep -q 'CALL gotrampshim_own_acquire' "$WORK/rec_own_pkg/p_linux_amd64.s" ||
  fail "RecSum is not on the own_stack path"
step "--frame-bytes gives the unknown bound explicitly"
run_gotramp "$WORK/rec_ok" generate --header testdata/recursive.h --object "$WORK/recursive.o" \
  --package p --out "$WORK/rec_ok_pkg" --frame-bytes 20000
expect_ok "$WORK/rec_ok" "--frame-bytes for an unknown bound"
grep -q 'TEXT ·RecSum(SB), \$20008-16' "$WORK/rec_ok_pkg/p_linux_amd64.s" ||
  fail "RecSum does not reserve the --frame-bytes budget"
grep -q 'TEXT ·RecLeaf(SB), NOSPLIT, ' "$WORK/rec_ok_pkg/p_linux_amd64.s" ||
  fail "the bounded RecLeaf did not get its analysed NOSPLIT frame"

OUTDIR=$WORK/out4c
compile_native testdata/badannot.c "$WORK/badannot.o"
fails "an unknown gotramp annotation" \
  "testdata/badannot.h:$(location testdata/badannot.h badannot_f)" \
  "unknown gotramp annotation 'gotramp:speed=fast'" "runtime-shims/c/gotramp.h" -- \
  generate --header testdata/badannot.h --object "$WORK/badannot.o" --package p --out "$OUTDIR"

OUTDIR=$WORK/out5
cat >"$WORK/config.json" <<EOF
{
  "package": "p",
  "headers": ["$E2E/testdata/missing.h"],
  "objects": ["$WORK/missing.o"],
  "frobnicate": true
}
EOF
fails "an unknown config key" \
  "$WORK/config.json" "frobnicate: unknown key" -- \
  generate --config "$WORK/config.json" --out "$OUTDIR"

for pkg in 9lives my-pkg func; do
  OUTDIR=$WORK/out-pkg-$pkg
  fails "invalid package name '$pkg'" \
    "'$pkg'" "not a valid Go package name" -- \
    generate --header "$MISSING_H" --object "$WORK/missing.o" --package "$pkg" --out "$OUTDIR"
done

for pkg in lib_amd64 lib_test; do
  OUTDIR=$WORK/out-pkg-$pkg
  fails "package name '$pkg' that would constrain or hide $pkg.go" \
    "'$pkg' ends in '_${pkg#lib_}'" "choose another name" -- \
    generate --header "$MISSING_H" --object "$WORK/missing.o" --package "$pkg" --out "$OUTDIR"
done

OUTDIR=$WORK/out6
fails "--target windows/amd64" \
  "unsupported target 'windows/amd64'" "linux/amd64" -- \
  generate --header "$MISSING_H" --object "$WORK/missing.o" --package p --out "$OUTDIR" \
  --target windows/amd64

OUTDIR=$WORK/out7
fails "a missing header file" \
  "testdata/no_such_header.h" "No such file" -- \
  generate --header testdata/no_such_header.h --object "$WORK/missing.o" --package p --out "$OUTDIR"

OUTDIR=$WORK/out7b
fails "a missing object file" \
  "$WORK/no_such_object.o" "No such file" -- \
  generate --header "$MISSING_H" --object "$WORK/no_such_object.o" --package p --out "$OUTDIR"

OUTDIR=$WORK/out8
fails "an unknown option" \
  "unknown option '--frobnicate'" -- \
  generate --header "$MISSING_H" --object "$WORK/missing.o" --package p --out "$OUTDIR" --frobnicate

OUTDIR=$WORK/out9
fails "an option without its value" \
  "--object needs a value" -- \
  generate --header "$MISSING_H" --package p --out "$OUTDIR" --object

OUTDIR=$WORK/out10
fails "a non-numeric --frame-bytes" \
  "--frame-bytes takes a number" "'lots'" -- \
  generate --header "$MISSING_H" --object "$WORK/missing.o" --package p --out "$OUTDIR" --frame-bytes lots

OUTDIR=$WORK/out11
fails "an unknown command" \
  "unknown command 'frobnicate'" -- \
  frobnicate --out "$OUTDIR"

step "gotramp --help"
run_gotramp "$WORK/help" --help
expect_ok "$WORK/help" "gotramp --help"
expect_in "$WORK/help.out" "gotramp --help" "generate" "gotramp generate --help"

step "gotramp generate --help"
run_gotramp "$WORK/genhelp" generate --help
expect_ok "$WORK/genhelp" "gotramp generate --help"
expect_in "$WORK/genhelp.out" "gotramp generate --help" \
  --header --object --package --out --target --config --strict --dump-ir --frame-bytes --lld \
  "Supported: linux/amd64," "linux/arm64"
echo "PASS"
