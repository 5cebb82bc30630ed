#!/usr/bin/env bash
# The link matrix for one GOARCH:
#
#   bash run.sh GOTRAMP CLANG SOURCE_DIR VERIFY_HELPER ARCH
#
# Compiles the corpus (corpus/) for linux/ARCH, generates six packages
# (pure: static blob with recursion, calls between objects, a jump table, a
# function-pointer table, read-only tables and the mem* shims; data: writable
# globals, static locals, .bss arrays, pointer tables in .data.rel.ro and a
# GOT load, a static blob relocated at init; glue: a writable section of its
# own and absolute addresses, DynamicGlue; twina and twinb: the same C symbols
# twice; lc: libc mode, "libc": "dynamic", C built with the stack protector
# that calls malloc, free, snprintf, strtol and errno from glibc and memcpy
# and strlen from the shims, with a writable function-pointer table), then
# builds testdata/prog/ in every way Go users build, runs each binary (under
# qemu-aarch64-static -L /usr/aarch64-linux-gnu for arm64) and checks it with
# `gotramp verify`, which must find every package's object:
#
#   static    CGO_ENABLED=0 without glue and lc (tags noglue, nolibc): must
#             stay fully static
#   cgo0      CGO_ENABLED=0: lc's threads from purego's fake cgo (the purego
#             that testdata/prog/go.mod pins, from the module cache)
#   cgo1      CGO_ENABLED=1 -ldflags=-linkmode=internal (runtime/cgo, also
#             through os/user; without the flag a .syso makes cmd/link link
#             externally)
#   external  CGO_ENABLED=1 -ldflags=-linkmode=external, plus a cgo package
#             defining the C symbol tw_value that twina and twinb bind too
#   pie       CGO_ENABLED=0 -buildmode=pie (purego, as cgo0)
#
# The program checks lc's results against Go, and that 8 threads at once
# each have their own errno (glibc's TLS). Then the broken binaries: the glue
# package without its dynamic import file, CGO_ENABLED=0 (golang/go#24321
# skips the .syso's relocations), must make `gotramp verify` fail; lc
# without lc_libc_purego.go, CGO_ENABLED=0, must fail when run (verify does
# not flag it: the thread setup is Go code, not in the packed object).
#
# Exits 77 (ctest: skipped) with a notice when ARCH cannot be tested here:
# `gotramp generate --target linux/arm64` has no trampoline emitter yet, or
# qemu-aarch64-static is missing. Cells that need a C cross compiler for
# arm64 (cgo1, external) are skipped, with a notice, without
# aarch64-linux-gnu-gcc; without its arm64 libc (/usr/aarch64-linux-gnu, from
# the same Debian package) dynamically linked arm64 binaries are built and
# verified but not run.
set -euo pipefail

if [ $# -ne 5 ]; then
  echo "usage: $0 GOTRAMP CLANG SOURCE_DIR VERIFY_HELPER ARCH" >&2
  exit 2
fi
GOTRAMP=$(realpath "$1")
CLANG=$2
SRC=$(realpath "$3")
HELPER=$4
ARCH=$5
HERE=$SRC/tests/linkmatrix
CORPUS=$HERE/corpus

export GOTOOLCHAIN=local GOPROXY=off GOWORK=off GOFLAGS=-mod=mod
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-linkmatrix.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
step() { printf '=== %s\n' "$*"; }
skip() {
  printf 'SKIP: %s\n' "$*"
  exit 77
}

for tool in go readelf; do
  command -v "$tool" >/dev/null || fail "'$tool' is not on PATH; the link matrix needs it"
done

case $ARCH in
amd64)
  TRIPLE=x86_64-linux-gnu
  ARCH_CFLAGS=()
  RUN=()
  CROSS_CC=""
  ;;
arm64)
  TRIPLE=aarch64-linux-gnu
  ARCH_CFLAGS=(-ffixed-x28) # x28 is Go's g (ARCHITECTURE.md fact 6)
  CROSS_CC=aarch64-linux-gnu-gcc
  RUN=()
  if [ "$(go env GOHOSTARCH)" != arm64 ]; then
    command -v qemu-aarch64-static >/dev/null ||
      skip "linux/arm64 cells: qemu-aarch64-static is not installed (Debian: qemu-user-static)"
    RUN=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
  else
    CROSS_CC=""
  fi
  ;;
*) fail "unknown ARCH '$ARCH' (amd64 or arm64)" ;;
esac
export GOOS=linux GOARCH=$ARCH

# `gotramp verify` once the subcommand exists, else the helper built with the
# same library code.
if "$GOTRAMP" verify --help >/dev/null 2>&1; then
  VERIFY=("$GOTRAMP" verify)
else
  VERIFY=("$HELPER")
  echo "note: '$GOTRAMP verify' is not available; using $HELPER"
fi

NATIVE_CFLAGS=(--target=$TRIPLE -O2 -fPIC -ffreestanding -fno-builtin -fno-stack-protector
  -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections "${ARCH_CFLAGS[@]}")
compile() { # SRC OUT [flags...]
  local src=$1 out=$2
  shift 2
  "$CLANG" "${NATIVE_CFLAGS[@]}" "$@" -c "$src" -o "$out" || fail "clang could not compile $src"
}
# The libc package's code is compiled as C that uses glibc is: hosted, with
# the stack protector.
LIBC_CFLAGS=(--target=$TRIPLE -O2 -fPIC -fstack-protector-strong -fno-asynchronous-unwind-tables
  -ffunction-sections -fdata-sections "${ARCH_CFLAGS[@]}")

step "compile the corpus for linux/$ARCH"
OBJ=$WORK/obj
mkdir -p "$OBJ"
for f in lm_a lm_b lm_c data glue; do
  compile "$CORPUS/$f.c" "$OBJ/$f.o"
done
compile "$CORPUS/twin.c" "$OBJ/twin1.o" -DTWIN_SEED=1
compile "$CORPUS/twin.c" "$OBJ/twin2.o" -DTWIN_SEED=2
"$CLANG" "${LIBC_CFLAGS[@]}" -c "$CORPUS/libc.c" -o "$OBJ/libc.o" || fail "clang could not compile libc.c"
readelf -sW "$OBJ/libc.o" | grep -c ' __stack_chk_fail$' >/dev/null ||
  fail "precondition: libc.c was not compiled with the stack protector"

MOD=$WORK/mod
mkdir -p "$MOD"
# testdata/prog's go.mod requires runtime-shims/go (the generated packages'
# crash reports), here from this checkout, and the purego that the libc
# package's CGO_ENABLED=0 cells import, from the module cache.
cp -r "$HERE/testdata/prog/." "$MOD/"
(cd "$MOD" && go mod edit -replace="github.com/gotramp/gotramp/runtime-shims/go=$SRC/runtime-shims/go") ||
  fail "cannot point the module at $SRC/runtime-shims/go"
PUREGO=github.com/ebitengine/purego@v0.10.2
[ -d "$(go env GOMODCACHE)/$PUREGO" ] ||
  fail "$PUREGO is not in the module cache: (cd tests/linkmatrix/testdata/prog && go mod download)"

# generate PKG HEADER ARGS...: objects, and options as --flag=value.
generate() {
  local pkg=$1 header=$2 args=() o
  shift 2
  for o in "$@"; do
    case $o in
    --*) args+=("$o") ;;
    *) args+=(--object "$o") ;;
    esac
  done
  if ! "$GOTRAMP" generate --target "linux/$ARCH" --header "$header" "${args[@]}" \
    --package "$pkg" --out "$MOD/$pkg" >"$WORK/$pkg.log" 2>&1; then
    if grep -q 'no trampoline emitter' "$WORK/$pkg.log"; then
      cat "$WORK/$pkg.log"
      skip "linux/$ARCH cells: gotramp generate --target linux/$ARCH has no trampoline emitter yet"
    fi
    cat "$WORK/$pkg.log" >&2
    fail "gotramp generate failed for package $pkg"
  fi
  if grep -q 'warning' "$WORK/$pkg.log"; then
    cat "$WORK/$pkg.log" >&2
    fail "gotramp generate warned for package $pkg"
  fi
}

# packing PKG: the report's packing for this target.
packing() {
  python3 - "$MOD/$1/gotramp-report.json" "linux/$ARCH" <<'EOF'
import json, sys
print(json.load(open(sys.argv[1]))["targets"][sys.argv[2]]["packing"])
EOF
}

step "generate pure, data, glue, twina, twinb, and lc in libc mode"
# The corpus has recursion and function-pointer calls on purpose: their
# stack bounds are unknown, so they get an explicit budget (the direct path).
FRAME=--frame-bytes=16384
generate pure "$CORPUS/corpus.h" "$OBJ/lm_a.o" "$OBJ/lm_b.o" "$OBJ/lm_c.o" $FRAME
generate data "$CORPUS/data.h" "$OBJ/data.o" $FRAME
generate glue "$CORPUS/glue.h" "$OBJ/glue.o" $FRAME
generate twina "$CORPUS/twin.h" "$OBJ/twin1.o" $FRAME
generate twinb "$CORPUS/twin.h" "$OBJ/twin2.o" $FRAME
# Without a budget: what reaches glibc runs on own_stack, libc mode's
# default, in every cell. No warning here also means the module's go.mod
# requires purego.
generate lc "$CORPUS/libc.h" "$OBJ/libc.o" --libc=dynamic

[ "$(packing pure)" = "static blob: pre-linked, no relocations left" ] ||
  fail "pure: expected a static blob, the report says '$(packing pure)'"
[ "$(packing data)" = "static blob: pre-linked, no relocations left" ] ||
  fail "data: expected a static blob, the report says '$(packing data)'"
relocated=$(python3 - "$MOD/data/gotramp-report.json" "linux/$ARCH" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["targets"][sys.argv[2]]["relocated_at_init"]
print(" ".join(sorted(r["sections"])), r["address_slots"])
EOF
)
# 4 function pointers, 3 string pointers, the GOT slot.
case $relocated in
".bss .data .data.rel.ro .got "*) [ "${relocated##* }" -ge 8 ] ||
  fail "data: $relocated: expected at least 8 address slots" ;;
*) fail "data: relocated sections and slots are '$relocated'" ;;
esac
[ "$(packing glue)" = "relocatable with dynamic-import glue" ] ||
  fail "glue: expected dynamic-import glue, the report says '$(packing glue)'"
GLUE_FILE=$MOD/glue/glue_dynimport_linux_$ARCH.go
[ -f "$GLUE_FILE" ] || fail "glue: $GLUE_FILE was not written"
# lc: every glibc symbol the code calls is imported (arm64's canary is the
# loader's __stack_chk_guard), __stack_chk_fail, memcpy and strlen come from
# the shims, and the thread setup files are there.
[ "$(packing lc)" = "relocatable with dynamic-import glue" ] ||
  fail "lc: expected dynamic-import glue, the report says '$(packing lc)'"
LC_IMPORTS=$(python3 - "$MOD/lc/gotramp-report.json" "linux/$ARCH" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["targets"][sys.argv[2]]
print(" ".join(sorted(t["libc_imports"])), "/", " ".join(t["shims"]))
EOF
)
want="__errno_location atol free malloc snprintf strtol / __stack_chk_fail memcpy strlen"
[ "$ARCH" = amd64 ] || want="__errno_location __stack_chk_guard atol free malloc snprintf strtol / __stack_chk_fail memcpy strlen"
[ "$LC_IMPORTS" = "$want" ] || fail "lc: imports / shims are '$LC_IMPORTS', expected '$want'"
paths=$(python3 - "$MOD/lc/gotramp-report.json" "linux/$ARCH" <<'EOF'
import json, sys
for f in json.load(open(sys.argv[1]))["functions"]:
    print(f["c_name"] + "=" + f["targets"][sys.argv[2]]["call_path"], end=" ")
EOF
)
want="lc_format=own_stack lc_parse=own_stack lc_errno_address=own_stack lc_errno_roundtrip=own_stack lc_apply=own_stack lc_swap=direct lc_apply_glibc=own_stack lc_counter_add=direct "
[ "$paths" = "$want" ] || fail "lc: call paths are '$paths', expected '$want'"
LC_FILE=$MOD/lc/lc_dynimport_linux_$ARCH.go
for sym in ${LC_IMPORTS%% /*}; do
  grep -q "^//go:cgo_import_dynamic $sym $sym#GLIBC_[0-9.]* \"" "$LC_FILE" ||
    fail "lc: $LC_FILE does not import $sym"
done
grep -q '^//go:build !cgo ' "$MOD/lc/lc_libc_purego.go" && grep -q "\"${PUREGO%@*}\"" "$MOD/lc/lc_libc_purego.go" ||
  fail "lc: lc_libc_purego.go does not import purego under !cgo"
grep -q '^//go:build cgo ' "$MOD/lc/lc_libc_cgo.go" || fail "lc: lc_libc_cgo.go is not built under cgo only"

# Symbol hygiene: nothing undefined but lc's glibc imports; the only global
# symbols defined are the roots, under package-prefixed names, and the
# trampolines call those names.
for pkg in pure data glue twina twinb lc; do
  syso=$MOD/$pkg/${pkg}_linux_$ARCH.syso
  undefined=$(readelf -sW "$syso" | awk 'NR > 3 && $7 == "UND" && $8 != "" { print $8 }' | sort | tr '\n' ' ')
  want=""
  [ $pkg != lc ] || want="${LC_IMPORTS%% /*} "
  [ "$undefined" = "$want" ] || fail "$pkg: the .syso leaves symbols undefined: '$undefined', expected '$want'"
  globals=$(readelf -sW "$syso" | awk '($5 == "GLOBAL" || $5 == "WEAK") && $7 != "UND" { print $8 }')
  [ -n "$globals" ] || fail "$pkg: the .syso defines no global symbol"
  for g in $globals; do
    case $g in
    gotramp_*) grep -q "$g(SB)" "$MOD/$pkg/${pkg}_linux_$ARCH.s" ||
      fail "$pkg: no trampoline calls the root symbol $g" ;;
    *) fail "$pkg: global symbol '$g' in the .syso is not package-prefixed (gotramp_...);" \
      "two packages, or a package and cgo code, defining it would clash" ;;
    esac
  done
done
# The mem* shims are packed in, as local symbols, only where referenced.
shims=$(readelf -sW "$MOD/pure/pure_linux_$ARCH.syso" |
  awk '$5 == "LOCAL" && $8 ~ /^(memcpy|memmove|memset|memcmp|bcmp|strlen)$/ { print $8 }' | sort | tr '\n' ' ')
[ "$shims" = "bcmp memcmp memcpy memmove memset strlen " ] ||
  fail "pure: expected the six mem* shims as local symbols, found: $shims"
! readelf -sW "$MOD/twina/twina_linux_$ARCH.syso" | grep -cE ' (memcpy|memset|strlen)$' >/dev/null ||
  fail "twina: shims packed in although its code references none"
shims=$(readelf -sW "$MOD/lc/lc_linux_$ARCH.syso" |
  awk '$5 == "LOCAL" && $7 != "UND" && $8 ~ /^(memcpy|memmove|memset|memcmp|bcmp|strlen)$/ { print $8 }' | sort | tr '\n' ' ')
[ "$shims" = "memcpy strlen " ] || fail "lc: expected the memcpy and strlen shims as local symbols, found: $shims"
# atol's address in lc_glibc_ops is its thunk's, a jump through the PLT.
readelf -sW "$MOD/lc/lc_linux_$ARCH.syso" >"$WORK/lc-syms.txt"
grep -q ' LOCAL .* gotramp_import_thunk_atol$' "$WORK/lc-syms.txt" ||
  fail "lc: the .syso has no thunk for atol, which lc_glibc_ops holds"

# The cross compiler for the cgo cells.
HAVE_CC=1
if [ -n "$CROSS_CC" ]; then
  if command -v "$CROSS_CC" >/dev/null; then
    export CC=$CROSS_CC
  else
    HAVE_CC=0
  fi
fi
# Dynamically linked arm64 binaries (every cell but static: glue and lc
# import libc) need the arm64 loader and libc under qemu.
RUN_DYNAMIC=1
if [ ${#RUN[@]} -gt 0 ] && [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; then
  RUN_DYNAMIC=0
  echo "note: /usr/aarch64-linux-gnu has no arm64 libc (Debian: libc6-arm64-cross, brought by" \
    "gcc-aarch64-linux-gnu): dynamically linked arm64 binaries are built and verified, not run"
fi

cd "$MOD"
PASSED=0
SKIPPED=0

# run_program BIN OUT: runs BIN (under qemu for arm64) with its output in
# OUT. Under qemu a run gets 120 s: a program that hangs fails the cell
# instead of holding the suite until ctest's timeout (one did, while arm64
# packages installed through multiarch made qemu load a newer libc than the
# cross loader's). A native run has no timeout.
run_program() {
  local bin=$1 out=$2 rc=0
  if [ ${#RUN[@]} -eq 0 ]; then
    "$bin" >"$out" 2>&1
    return
  fi
  timeout 120 "${RUN[@]}" "$bin" >"$out" 2>&1 || rc=$?
  [ $rc -ne 124 ] || echo "FAIL: $bin hung under qemu-user for 120 s" >>"$out"
  return $rc
}

# cell NAME ENV... -- GO_BUILD_FLAGS...
cell() {
  local name=$1 envs=() bin=$WORK/bin-$1
  shift
  while [ "$1" != "--" ]; do
    envs+=("$1")
    shift
  done
  shift
  step "cell $ARCH/$name: ${envs[*]} go build $*"
  env "${envs[@]}" go build -o "$bin" "$@" . >"$WORK/$name.build" 2>&1 || {
    cat "$WORK/$name.build" >&2
    fail "$ARCH/$name: go build failed"
  }
  if [ $RUN_DYNAMIC = 1 ] || ! readelf -lW "$bin" | grep -c INTERP >/dev/null; then
    if ! run_program "$bin" "$WORK/$name.out"; then
      cat "$WORK/$name.out" >&2
      fail "$ARCH/$name: the program failed"
    fi
    grep -qx 'linkmatrix: ok' "$WORK/$name.out" || {
      cat "$WORK/$name.out" >&2
      fail "$ARCH/$name: the program did not report success"
    }
  else
    echo "note: $ARCH/$name not run (no arm64 libc), only verified"
  fi
  local rc=0
  "${VERIFY[@]}" "$bin" >"$WORK/$name.verify" 2>&1 || rc=$?
  if [ $rc -ne 0 ] || [ -s "$WORK/$name.verify" ]; then
    cat "$WORK/$name.verify" >&2
    fail "$ARCH/$name: gotramp verify exited $rc or was not silent"
  fi
  "${VERIFY[@]}" -v "$bin" | tee "$WORK/$name.verbose"
  local found
  found=$(sed -n "s/^.*: \([a-z]*\) (linux\/$ARCH): .* checked: ok$/\1/p" "$WORK/$name.verbose" | sort | tr '\n' ' ')
  [ "$found" = "$CELL_PACKAGES" ] || fail "$ARCH/$name: gotramp verify -v checked '$found', expected '$CELL_PACKAGES'"
  CELL_BIN=$bin
  PASSED=$((PASSED + 1))
}

# The packages verify must find in each cell.
CELL_PACKAGES="data pure twina twinb "
cell static CGO_ENABLED=0 -- -tags noglue,nolibc
! readelf -lW "$CELL_BIN" | grep -c INTERP >/dev/null || fail "$ARCH/static: the binary is not static"
readelf -SW "$CELL_BIN" | grep -c '\.dynamic' >/dev/null && fail "$ARCH/static: the binary has a .dynamic section"
CELL_PACKAGES="data glue lc pure twina twinb "
cell cgo0 CGO_ENABLED=0 --
if [ $HAVE_CC = 1 ]; then
  # With cgo on, cmd/link links externally whenever a package has a .syso;
  # the internal link of a cgo binary must be asked for.
  cell cgo1 CGO_ENABLED=1 -- -ldflags=-linkmode=internal
  ! readelf -p .comment "$CELL_BIN" 2>/dev/null | grep -c 'GCC:' >/dev/null ||
    fail "$ARCH/cgo1: the binary was linked by the C compiler, not by cmd/link"
  cell external CGO_ENABLED=1 -- -tags cgotwin -ldflags=-linkmode=external
  readelf -p .comment "$CELL_BIN" 2>/dev/null | grep -c 'GCC:' >/dev/null ||
    fail "$ARCH/external: the binary was not linked by the C compiler"
else
  echo "SKIP: $ARCH/cgo1 and $ARCH/external need the C cross compiler $CROSS_CC" \
    "(Debian: gcc-aarch64-linux-gnu)"
  SKIPPED=$((SKIPPED + 2))
fi
cell pie CGO_ENABLED=0 -- -buildmode=pie
readelf -hW "$CELL_BIN" | grep -c 'DYN' >/dev/null || fail "$ARCH/pie: the binary is not position-independent"

step "a broken binary: the glue package without its dynamic import, CGO_ENABLED=0"
mv "$GLUE_FILE" "$WORK/glue.go.saved"
CGO_ENABLED=0 go build -tags nolibc -o "$WORK/bin-broken" . >"$WORK/broken.build" 2>&1 || {
  cat "$WORK/broken.build" >&2
  fail "$ARCH/broken: go build failed"
}
mv "$WORK/glue.go.saved" "$GLUE_FILE"
! readelf -lW "$WORK/bin-broken" | grep -c INTERP >/dev/null ||
  fail "$ARCH/broken: expected a static binary (cmd/link skips .syso relocations only then)"
rc=0
"${VERIFY[@]}" "$WORK/bin-broken" >"$WORK/broken.verify" 2>&1 || rc=$?
cat "$WORK/broken.verify"
[ $rc -eq 1 ] || fail "$ARCH/broken: gotramp verify exited $rc, expected 1"
grep -q 'was never relocated' "$WORK/broken.verify" ||
  fail "$ARCH/broken: the report does not say the relocations were not applied"
grep -q 'problem(s) in 1 of 5 packed object(s)' "$WORK/broken.verify" ||
  fail "$ARCH/broken: expected exactly the glue object to be reported, of 5"

step "libc mode without the thread setup: lc without lc_libc_purego.go, CGO_ENABLED=0"
mv "$MOD/lc/lc_libc_purego.go" "$WORK/purego.go.saved"
CGO_ENABLED=0 go build -o "$WORK/bin-notls" . >"$WORK/notls.build" 2>&1 || {
  cat "$WORK/notls.build" >&2
  fail "$ARCH/notls: go build failed"
}
mv "$WORK/purego.go.saved" "$MOD/lc/lc_libc_purego.go"
# It links and verify passes it (exit 0): the thread setup is Go code, not
# part of the packed object. Running it must fail: glibc's TLS is Go's
# (amd64: errno is written outside any mapping) or the main thread's on
# every thread (arm64: the errno-address check fails, or, as the threads
# then share one glibc thread state, a crash; seen both ways under qemu).
rc=0
"${VERIFY[@]}" "$WORK/bin-notls" >"$WORK/notls.verify" 2>&1 || rc=$?
echo "note: gotramp verify on the binary without the thread setup exits $rc"
if [ $RUN_DYNAMIC = 1 ]; then
  rc=0
  run_program "$WORK/bin-notls" "$WORK/notls.out" || rc=$?
  if [ $rc -eq 0 ]; then
    cat "$WORK/notls.out" >&2
    fail "$ARCH/notls: the program passed without the thread setup: the checks do not exercise glibc's TLS"
  fi
  tail -3 "$WORK/notls.out"
  ! grep -q 'linkmatrix: ok' "$WORK/notls.out" || fail "$ARCH/notls: the program reported success"
  [ "$ARCH" = amd64 ] || [ $rc -gt 128 ] || grep -q '^FAIL distinct errno addresses' "$WORK/notls.out" ||
    fail "$ARCH/notls: expected the threads to share one errno, or a crash (exit status $rc)"
else
  echo "note: $ARCH/notls not run (no arm64 libc)"
fi

step "a corrupted address slot of the relocated data is caught by gotramp verify"
# The static binary holds the data package's image byte for byte: flip a bit
# of its first address slot (an image offset until init relocates it).
"$(dirname "$CLANG")/llvm-objcopy" --dump-section ".text=$WORK/data.image" \
  "$MOD/data/data_linux_$ARCH.syso" || fail "cannot read the data package's image"
python3 - "$WORK/bin-static" "$WORK/bin-corrupt" "$WORK/data.image" \
  "$MOD/data/data_symbols_linux_$ARCH.go" <<'EOF' || fail "cannot corrupt the address slot"
import re, sys
exe, out, image, symbols = sys.argv[1:]
b = bytearray(open(exe, "rb").read())
img = open(image, "rb").read()
slot = int(re.search(r"gotrampNativeSlots = \[\.\.\.\]uint32\{\s*(0x[0-9a-f]+)", open(symbols).read()).group(1), 16)
at = b.find(img[:slot])
assert at >= 0 and b.find(img[:slot], at + 1) < 0, "the image is not in the binary exactly once"
b[at + slot] ^= 0x10
open(out, "wb").write(b)
EOF
rc=0
"${VERIFY[@]}" "$WORK/bin-corrupt" >"$WORK/corrupt.verify" 2>&1 || rc=$?
cat "$WORK/corrupt.verify"
[ $rc -eq 1 ] || fail "$ARCH/corrupt: gotramp verify exited $rc, expected 1"
grep -q 'data (linux/'"$ARCH"'): the bytes of .text+0x' "$WORK/corrupt.verify" ||
  fail "$ARCH/corrupt: the report does not name the data package's changed bytes"

# verify_live NAME: runs bin-NAME until verify --pid has checked it, then
# corrupts the data package's first address slot in the running process and
# expects verify --pid to name it. Native only: under qemu-user /proc shows
# the emulator.
verify_live() {
  local name=$1 bin=$WORK/bin-$1 fifo=$WORK/live-$1.in
  step "gotramp verify --pid on the running $ARCH/$name binary, then on a corrupted slot"
  mkfifo "$fifo"
  LINKMATRIX_WAIT=1 "$bin" <"$fifo" >"$WORK/live-$name.out" 2>&1 &
  local pid=$!
  exec 9>"$fifo" # holds the program's stdin open until the checks are done
  for _ in $(seq 100); do
    grep -q 'linkmatrix: waiting' "$WORK/live-$name.out" && break
    sleep 0.1
  done
  grep -q 'linkmatrix: waiting' "$WORK/live-$name.out" || {
    exec 9>&-
    cat "$WORK/live-$name.out" >&2
    fail "$ARCH/$name: the program did not reach its wait"
  }
  local rc=0
  "${VERIFY[@]}" -v --pid "$pid" >"$WORK/live-$name.verify" 2>&1 || rc=$?
  cat "$WORK/live-$name.verify"
  [ $rc -eq 0 ] || { exec 9>&-; fail "$ARCH/$name: gotramp verify --pid exited $rc"; }
  grep -q "data (linux/$ARCH): static blob at 0x[0-9a-f]*, .*address slot(s) checked: ok" \
    "$WORK/live-$name.verify" || { exec 9>&-; fail "$ARCH/$name: verify --pid did not check the data package"; }
  # The data package's blob at run time, and its first slot.
  local base
  base=$(sed -n "s/.*data (linux\/$ARCH): static blob at \(0x[0-9a-f]*\),.*/\1/p" "$WORK/live-$name.verify")
  python3 - "$pid" "$base" "$MOD/data/data_symbols_linux_$ARCH.go" <<'EOF' || { exec 9>&-; fail "cannot corrupt the running process"; }
import re, sys
pid, base, symbols = int(sys.argv[1]), int(sys.argv[2], 16), sys.argv[3]
slot = int(re.search(r"gotrampNativeSlots = \[\.\.\.\]uint32\{\s*(0x[0-9a-f]+)", open(symbols).read()).group(1), 16)
with open(f"/proc/{pid}/mem", "r+b", buffering=0) as mem:
    mem.seek(base + slot)
    b = bytearray(mem.read(8))
    b[1] ^= 0x10
    mem.seek(base + slot)
    mem.write(bytes(b))
EOF
  rc=0
  "${VERIFY[@]}" --pid "$pid" >"$WORK/live-$name.corrupt" 2>&1 || rc=$?
  exec 9>&-
  wait "$pid" || true
  cat "$WORK/live-$name.corrupt"
  [ $rc -eq 1 ] || fail "$ARCH/$name: gotramp verify --pid on a corrupted slot exited $rc, expected 1"
  grep -q "data (linux/$ARCH): address slot at .* holds 0x[0-9a-f]*, expected" "$WORK/live-$name.corrupt" ||
    fail "$ARCH/$name: verify --pid did not name the corrupted address slot"
}
if [ "$ARCH" = amd64 ] && [ "$(uname -m)" = x86_64 ]; then
  verify_live static
  verify_live pie
else
  echo "note: gotramp verify --pid is checked on linux/amd64 only (qemu-user hides the program)"
fi

echo "linkmatrix: $PASSED passed, 0 failed, $SKIPPED skipped"
