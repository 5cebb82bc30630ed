#!/usr/bin/env bash
# e2e.hostile_pack: native code and inputs that gotramp must refuse, or bind
# correctly, with a message that names the object, the function or symbol,
# the place and what to do (issue 15, "Hostile inputs"). A failed run writes
# no files.
source "$(dirname "$0")/lib.sh"

HOSTILE=testdata/hostile
cd "$E2E"

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

#===-- amd64: the FS and GS segments (Go's TLS) ------------------------------===#

# The stack protector with its own __stack_chk_fail: nothing is undefined, so
# only the canary read at %fs:0x28 gives it away.
compile_native "$HOSTILE/fs_tls.c" "$WORK/fs_tls.o" -ffunction-sections -fdata-sections \
  -fstack-protector-strong
"$(dirname "$CLANG")/llvm-objdump" -d "$WORK/fs_tls.o" | grep -q '%fs:0x28' ||
  fail "precondition: fs_tls.o reads no stack-protector canary"
for strict in "" --strict; do
  OUTDIR=$WORK/fs$strict
  fails "amd64 code reading %fs:-8 (Go's g) and the canary at %fs:0x28 ${strict:-(without --strict)}" \
    "packing the native code for linux/amd64: native code uses the FS or GS segment" \
    "Go keeps g (the current goroutine) in FS-relative thread-local storage" \
    "Functions tls_guarded, tls_peek:" \
    "\`movq %fs:-0x8, %rax\` at tls_peek+0x0 (FS-relative: Go's TLS)" \
    "at tls_guarded+0x" "%fs:0x28" "(the stack protector's canary)" "-fno-stack-protector" -- \
    generate $strict --header "$HOSTILE/fs_tls.h" --object "$WORK/fs_tls.o" --package p --out "$OUTDIR"
  expect_not_in "$WORK/case$N.err" "segment check" "tls_plain"
done

step "code the bound functions do not reach is not checked: without them the rest binds and runs"
new_module "$WORK/mod" e2e.test/hostile
printf '{"functions": {"exclude": ["^tls_peek$", "^tls_guarded$"]}}\n' >"$WORK/fs_rest.json"
run_gotramp "$WORK/fs_rest" generate --config "$WORK/fs_rest.json" --header "$E2E/$HOSTILE/fs_tls.h" \
  --object "$WORK/fs_tls.o" --package fsrest --out "$WORK/mod/fsrest"
expect_ok "$WORK/fs_rest" "fs_tls.o without the functions that touch FS"
cat >"$WORK/mod/fsrest/fsrest_test.go" <<'GO'
package fsrest

import "testing"

func TestPlain(t *testing.T) {
	if got := TlsPlain(14); got != 42 {
		t.Errorf("TlsPlain(14) = %d, want 42", got)
	}
}
GO
(cd "$WORK/mod" && GOFLAGS=-mod=mod CGO_ENABLED=0 go test -count=1 ./fsrest) ||
  fail "the package without the FS users does not run"

echo "PASS"
