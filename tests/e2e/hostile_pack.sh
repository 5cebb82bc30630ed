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
"$(dirname "$CLANG")/llvm-objdump" -d "$WORK/fs_tls.o" >"$WORK/fs_tls.dis"
grep -q '%fs:0x28' "$WORK/fs_tls.dis" || fail "precondition: fs_tls.o reads no stack-protector canary"
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

#===-- a frame_bytes override below the analysed bound -------------------------===#

for arch in amd64 arm64; do
  flags=(--target=x86_64-linux-gnu)
  [ "$arch" = arm64 ] && flags=(--target=aarch64-linux-gnu -ffixed-x28)
  compile_native "$HOSTILE/frame.c" "$WORK/frame_$arch.o" "${flags[@]}" -ffunction-sections -fdata-sections
done
printf '{"functions": {"overrides": {"frame_deep": {"frame_bytes": 100}}}}\n' >"$WORK/frame.json"
FRAME_INPUTS=(--config "$WORK/frame.json" --header "$E2E/$HOSTILE/frame.h" --package frame
  --target linux/amd64 --target linux/arm64
  --object "linux/amd64=$WORK/frame_amd64.o" --object "linux/arm64=$WORK/frame_arm64.o")

OUTDIR=$WORK/frame_strict
fails "--strict: frame_bytes below the analysed bound is an error, on each target" \
  "$E2E/$HOSTILE/frame.h:$(location "$HOSTILE/frame.h" frame_deep): error: 'frame_deep' on linux/amd64: functions.overrides.frame_deep.frame_bytes: the frame is below the analysed bound: 112 bytes, but the analysis found stack bound" \
  "error: 'frame_deep' on linux/arm64: functions.overrides.frame_deep.frame_bytes: the frame is below the analysed bound: 112 bytes" \
  "Raise it to at least" "--strict: " -- \
  generate --strict "${FRAME_INPUTS[@]}" --out "$OUTDIR"

step "without --strict: a warning, and the report and the TEXT comment say the frame is below the bound"
run_gotramp "$WORK/frame" generate "${FRAME_INPUTS[@]}" --out "$WORK/mod/frame"
expect_ok "$WORK/frame" "frame_bytes below the bound, without --strict"
for arch in amd64 arm64; do
  analysed=$(json "$WORK/mod/frame/gotramp-report.json" \
    "r['functions'][[f['c_name'] for f in r['functions']].index('frame_deep')]['targets']['linux/$arch'].get('frame_below_analysed_bytes', 0)")
  [ "$analysed" -gt 112 ] || fail "linux/$arch: the report gives no analysed frame above 112 bytes ($analysed)"
  source_=$(json "$WORK/mod/frame/gotramp-report.json" \
    "r['functions'][[f['c_name'] for f in r['functions']].index('frame_deep')]['targets']['linux/$arch']['frame_source']")
  case $source_ in
  *"the frame is below the analysed bound: 112 bytes, but the analysis found stack bound "*", $analysed bytes with the 32-byte margin"*) ;;
  *) fail "linux/$arch: frame_source does not give both numbers: $source_" ;;
  esac
  expect_in "$WORK/frame.err" "the $arch warning" \
    "warning: 'frame_deep' on linux/$arch: functions.overrides.frame_deep.frame_bytes: the frame is below the analysed bound: 112 bytes" \
    "$analysed bytes with the 32-byte margin" "Raise it to at least $analysed"
  grep -B1 '^TEXT ·FrameDeep(SB)' "$WORK/mod/frame/frame_linux_$arch.s" | grep -qF \
    "// Frame: 112 bytes for the native code (set by functions.overrides.frame_deep.frame_bytes; the frame is below the analysed bound: 112 bytes, but the analysis found stack bound" ||
    fail "linux/$arch: the TEXT comment of FrameDeep does not say the frame is below the bound: $(grep -B1 '^TEXT ·FrameDeep' "$WORK/mod/frame/frame_linux_$arch.s")"
  # A function without an override is not affected.
  [ "$(json "$WORK/mod/frame/gotramp-report.json" \
    "r['functions'][[f['c_name'] for f in r['functions']].index('frame_leaf')]['targets']['linux/$arch'].get('frame_below_analysed_bytes', 0)")" = 0 ] ||
    fail "linux/$arch: frame_leaf is reported below its bound"
done
(cd "$WORK/mod" && GOFLAGS=-mod=mod go vet ./frame && GOFLAGS=-mod=mod GOARCH=arm64 go vet ./frame) ||
  fail "the package with the small frame does not vet"
[ -z "$(gofmt -l "$WORK/mod/frame")" ] || fail "gofmt -l lists: $(gofmt -l "$WORK/mod/frame")"

#===-- thread-local storage and static constructors: the object and the symbols ===#

AR=$(dirname "$CLANG")/llvm-ar
for arch in amd64 arm64; do
  flags=(--target=x86_64-linux-gnu)
  [ "$arch" = arm64 ] && flags=(--target=aarch64-linux-gnu -ffixed-x28)
  # -fPIE: amd64 reaches the variable FS-relative (local-exec), not through
  # __tls_get_addr, so the TLS section itself is what the packer sees.
  compile_native "$HOSTILE/tls.c" "$WORK/tls_$arch.o" "${flags[@]}" -fPIE -ffunction-sections -fdata-sections
  rm -f "$WORK/libtls_$arch.a"
  "$AR" rcs "$WORK/libtls_$arch.a" "$WORK/tls_$arch.o"
  compile_native "$HOSTILE/ctor.c" "$WORK/ctor_$arch.o" "${flags[@]}" -ffunction-sections -fdata-sections
done

for arch in amd64 arm64; do
  why="Go owns the FS base"
  [ "$arch" = arm64 ] && why="Go owns the thread pointer (TPIDR_EL0)"
  OUTDIR=$WORK/tls_$arch
  fails "linux/$arch: a thread-local variable in an archive member names the member, the variable and its user" \
    "packing the native code for linux/$arch: thread-local storage is not supported: $why" \
    "'tls_count' in section .tbss.tls_count of $WORK/libtls_$arch.a(tls_$arch.o), used by tls_bump" \
    "Use no thread-local variables (__thread, _Thread_local, thread_local)" -- \
    generate --header "$HOSTILE/tls.h" --object "$WORK/libtls_$arch.a" --target "linux/$arch" \
    --package p --out "$OUTDIR"

  OUTDIR=$WORK/ctor_$arch
  fails "linux/$arch: a static constructor names the object and the constructor" \
    "packing the native code for linux/$arch: static constructors are not supported: Go never runs them" \
    "section .init_array of $WORK/ctor_$arch.o calls 'ctor_setup'" \
    "a function the Go side calls first" -- \
    generate --header "$HOSTILE/ctor.h" --object "$WORK/ctor_$arch.o" --target "linux/$arch" \
    --package p --out "$OUTDIR"
done

step "linux/amd64, -fPIC: the thread-local variable comes through __tls_get_addr; that function is skipped, saying why"
compile_native "$HOSTILE/tls.c" "$WORK/tls_pic.o" -ffunction-sections -fdata-sections
run_gotramp "$WORK/tls_pic" generate --header "$HOSTILE/tls.h" --object "$WORK/tls_pic.o" \
  --package tlspic --out "$WORK/mod/tlspic"
expect_ok "$WORK/tls_pic" "-fPIC thread-local code"
expect_in "$WORK/tls_pic.err" "the __tls_get_addr skip" \
  "warning: skipping 'tls_bump': it needs symbol '__tls_get_addr' (tls_bump -> __tls_get_addr)" \
  "'__tls_get_addr' means a thread-local variable (in $WORK/tls_pic.o), which Go rules out"
grep -q '^func TlsNone(' "$WORK/mod/tlspic/tlspic.go" || fail "tls_none is not bound"

#===-- -mcmodel=large ----------------------------------------------------------===#

compile_native "$HOSTILE/large.c" "$WORK/large_amd64.o" -ffunction-sections -fdata-sections -mcmodel=large
readelf -SW "$WORK/large_amd64.o" >"$WORK/large_amd64.sections"
grep -q '\.ltext' "$WORK/large_amd64.sections" || fail "precondition: large_amd64.o has no .ltext"
OUTDIR=$WORK/large_amd64
fails "linux/amd64: -mcmodel=large code (.ltext) names the object, the functions and the flag" \
  "code compiled with -mcmodel=large (or large data of -mcmodel=medium) is not supported" \
  "'large_pick' in section .ltext.large_pick of $WORK/large_amd64.o" \
  "'large_table' in section .lrodata.large_table of $WORK/large_amd64.o" \
  "compile without -mcmodel=large" -- \
  generate --header "$HOSTILE/large.h" --object "$WORK/large_amd64.o" --package p --out "$OUTDIR"
expect_not_in "$WORK/case$N.err" "the large-model message" "no .text section"

# arm64 allows -mcmodel=large only without PIC: absolute MOVZ/MOVK relocations.
compile_native "$HOSTILE/large.c" "$WORK/large_arm64.o" --target=aarch64-linux-gnu -ffixed-x28 \
  -ffunction-sections -fdata-sections -fno-pic -mcmodel=large
readelf -rW "$WORK/large_arm64.o" >"$WORK/large_arm64.relocs"
grep -q 'MOVW_UABS' "$WORK/large_arm64.relocs" || fail "precondition: large_arm64.o has no MOVW_UABS relocation"
OUTDIR=$WORK/large_arm64
fails "linux/arm64: -mcmodel=large code names the object, the function and the flag" \
  "native code is not position-independent (relocation R_AARCH64_MOVW_UABS_" \
  "recompile it with -fPIC and without -mcmodel=large (use the default small code model)" \
  "$WORK/large_arm64.o:(large_pick)" -- \
  generate --header "$HOSTILE/large.h" --object "$WORK/large_arm64.o" --target linux/arm64 \
  --package p --out "$OUTDIR"

#===-- inputs that are not objects: shared libraries, executables, archives ------===#

LLD=$(dirname "$CLANG")/ld.lld
# inspect_fails FILE TEXT...: gotramp inspect --target linux/$arch fails cleanly,
# prints no table and says each TEXT.
inspect_fails() {
  local file=$1
  shift
  N=$((N + 1))
  step "linux/$arch: gotramp inspect on $(basename "$file")"
  run_gotramp "$WORK/case$N" inspect --object "$file" --target "linux/$arch"
  expect_error "$WORK/case$N" "inspect $(basename "$file")"
  expect_in "$WORK/case$N.err" "inspect $(basename "$file")" "'$file': " "$@"
  [ ! -s "$WORK/case$N.out" ] || { show "$WORK/case$N"; fail "inspect printed a table for $file"; }
}
for arch in amd64 arm64; do
  o=$WORK/frame_$arch.o
  "$LLD" -shared "$o" -o "$WORK/libframe_$arch.so" || fail "ld.lld -shared failed"
  "$LLD" -static -e frame_leaf "$o" -o "$WORK/frame_$arch.exe" || fail "ld.lld -static failed"
  rm -f "$WORK/empty_$arch.a" "$WORK/libframe_$arch.a"
  "$AR" rcs "$WORK/empty_$arch.a"
  "$AR" rcs "$WORK/libframe_$arch.a" "$o"
  [ "$(wc -c <"$WORK/empty_$arch.a")" -eq 8 ] || fail "precondition: empty_$arch.a is not an empty archive"

  inspect_fails "$WORK/libframe_$arch.so" "is a shared library (ELF type ET_DYN)" \
    "gotramp packs relocatable objects (.o, from clang -c) and static archives of them (.a)"
  inspect_fails "$WORK/frame_$arch.exe" "is an executable (ELF type ET_EXEC)" \
    "pass the objects it was linked from"
  inspect_fails "$WORK/empty_$arch.a" "is an empty archive (no members, so no objects)"
  inspect_fails "$WORK/libframe_$arch.a" "is a static archive; inspect reads one object" \
    "llvm-ar x $WORK/libframe_$arch.a MEMBER.o"

  step "linux/$arch: gotramp inspect on the object itself still prints its table"
  run_gotramp "$WORK/inspect_ok_$arch" inspect --object "$o" --target "linux/$arch"
  expect_ok "$WORK/inspect_ok_$arch" "inspect an object"
  expect_in "$WORK/inspect_ok_$arch.out" "inspect an object" "frame_deep" "frame_leaf"

  for bad in "libframe_$arch.so:is a shared library" "frame_$arch.exe:is an executable" \
    "empty_$arch.a:is an empty archive"; do
    OUTDIR=$WORK/gen_${bad%%:*}
    fails "linux/$arch: generate --object ${bad%%:*}" \
      "'$WORK/${bad%%:*}': ${bad#*:}" "static archives of them (.a)" -- \
      generate --header "$HOSTILE/frame.h" --object "$WORK/${bad%%:*}" --target "linux/$arch" \
      --package p --out "$OUTDIR"
  done
done

#===-- nothing to bind: objects without DWARF, or every function skipped --------===#

for arch in amd64 arm64; do
  flags=(--target=x86_64-linux-gnu)
  [ "$arch" = arm64 ] && flags=(--target=aarch64-linux-gnu -ffixed-x28)
  compile_native "$HOSTILE/frame.c" "$WORK/nodebug_$arch.o" "${flags[@]}"
  (cd "$WORK" && compile_native "$E2E/$HOSTILE/frame.c" "$WORK/split_$arch.o" "${flags[@]}" -g -gsplit-dwarf)
  [ -e "$WORK/split_$arch.dwo" ] || fail "precondition: -gsplit-dwarf wrote no split_$arch.dwo"
  compile_native "$HOSTILE/frame.c" "$WORK/lines_$arch.o" "${flags[@]}" -gline-tables-only
  rm -f "$WORK/libnodwarf_$arch.a"
  "$AR" rcs "$WORK/libnodwarf_$arch.a" "$WORK/nodebug_$arch.o" "$WORK/lines_$arch.o"

  OUTDIR=$WORK/dwarf_$arch
  fails "linux/$arch: without --header, objects without DWARF function info are named with what they lack" \
    "nothing to bind for linux/$arch: no object describes an exported function in DWARF" \
    "$WORK/nodebug_$arch.o has no debug info" \
    "$WORK/split_$arch.o has split DWARF (-gsplit-dwarf): the function descriptions are in $WORK/split_$arch.dwo, which gotramp does not read" \
    "$WORK/lines_$arch.o has line tables only (-gline-tables-only or -g1)" \
    "compile with -g (full DWARF in the object, not -gsplit-dwarf or -gline-tables-only" -- \
    generate --object "$WORK/nodebug_$arch.o" --object "$WORK/split_$arch.o" \
    --object "$WORK/lines_$arch.o" --target "linux/$arch" --package p --out "$OUTDIR"
  expect_not_in "$WORK/case$N.err" "the DWARF message" "no root symbols" "skipped or excluded"

  OUTDIR=$WORK/dwarf_ar_$arch
  fails "linux/$arch: archive members without DWARF are named" \
    "$WORK/libnodwarf_$arch.a(nodebug_$arch.o) has no debug info" \
    "$WORK/libnodwarf_$arch.a(lines_$arch.o) has line tables only" -- \
    generate --object "$WORK/libnodwarf_$arch.a" --target "linux/$arch" --package p --out "$OUTDIR"

  compile_native "$HOSTILE/allskip.c" "$WORK/allskip_$arch.o" "${flags[@]}"
  OUTDIR=$WORK/allskip_$arch
  fails "linux/$arch: a header whose functions are all skipped says so" \
    "warning: skipping 'allskip_half'" "warning: skipping 'allskip_sum'" \
    "error: nothing to bind: all 2 functions were skipped (the warnings above say why), so nothing is left to bind" -- \
    generate --header "$HOSTILE/allskip.h" --object "$WORK/allskip_$arch.o" --target "linux/$arch" \
    --package p --out "$OUTDIR"
  expect_not_in "$WORK/case$N.err" "the all-skipped message" "no root symbols" "for linux/$arch: no object"
done

printf '{"functions": {"exclude": ["^allskip_half$"]}}\n' >"$WORK/allskip.json"
OUTDIR=$WORK/allskip_mixed
fails "skipped and excluded: both counted" \
  "error: nothing to bind: 1 function(s) were skipped (the warnings above say why) and the config excludes the other 1" -- \
  generate --config "$WORK/allskip.json" --header "$E2E/$HOSTILE/allskip.h" --object "$WORK/allskip_amd64.o" \
  --package p --out "$OUTDIR"

echo "PASS"
