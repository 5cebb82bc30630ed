# Shared setup for the tests/arm64 scripts; sourced, never run.
#
#   bash tests/arm64/NAME.sh GOTRAMP CLANG SOURCE_DIR
#
# Sets GOTRAMP, CLANG, SRC (repository root), HERE (this directory), WORK (a
# fresh temporary directory removed on exit), and the helpers below. Go runs
# with CGO_ENABLED=0, linux/arm64 binaries under qemu-aarch64-static.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 GOTRAMP CLANG SOURCE_DIR" >&2
  exit 2
fi
GOTRAMP=$(realpath "$1")
CLANG=$2
SRC=$(realpath "$3")
HERE=$SRC/tests/arm64

# Freestanding native code, as ARCHITECTURE.md requires: position-independent
# (the packer pre-links it), no stack protector and no TLS (FS/TPIDR belong
# to Go), no libc calls. -ffunction-sections lets the packer drop functions
# that are not bound (mathlib_ld_half's soft-float call on arm64).
NATIVE_CFLAGS=(-O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables
  -fno-builtin -ffunction-sections)
# linux/arm64 also keeps x28 (Go's g) out of the native code (fact 6).
CFLAGS_amd64=(--target=x86_64-linux-gnu)
CFLAGS_arm64=(--target=aarch64-linux-gnu -ffixed-x28)

export GOTOOLCHAIN=local GOPROXY=off GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-arm64.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

step() { printf '=== %s\n' "$*"; }

for tool in go gofmt qemu-aarch64-static; do
  command -v "$tool" >/dev/null ||
    fail "'$tool' is not on PATH (qemu-aarch64-static: Debian package qemu-user-static," \
      "see scripts/install-deps.sh)"
done
[ -x "$GOTRAMP" ] || fail "gotramp binary '$GOTRAMP' is not executable"
[ -x "$CLANG" ] || fail "clang '$CLANG' is not executable"
OBJDUMP=$(dirname "$CLANG")/llvm-objdump

# compile ARCH SRC.c OUT.o: native code for linux/ARCH.
compile() {
  local arch=$1 src=$2 out=$3 extra
  extra="CFLAGS_$arch[@]"
  "$CLANG" "${NATIVE_CFLAGS[@]}" "${!extra}" -c "$src" -o "$out" ||
    fail "clang could not compile $src for linux/$arch"
}

# generate_both HEADER AMD64.o ARM64.o PACKAGE OUTDIR [GOTRAMP_ARGS...]: one
# gotramp run for both targets.
generate_both() {
  local header=$1 amd64=$2 arm64=$3 pkg=$4 out=$5
  shift 5
  "$GOTRAMP" generate --header "$header" --package "$pkg" --out "$out" \
    --target linux/amd64 --target linux/arm64 \
    --object "linux/amd64=$amd64" --object "linux/arm64=$arm64" "$@" 2>"$WORK/$pkg.gen.err" || {
    cat "$WORK/$pkg.gen.err" >&2
    fail "gotramp generate for $pkg failed"
  }
  cat "$WORK/$pkg.gen.err"
  local f
  for f in "${pkg}.go" "${pkg}_linux_amd64.s" "${pkg}_linux_arm64.s" \
    "${pkg}_linux_amd64.syso" "${pkg}_linux_arm64.syso" gotramp-report.json; do
    [ -f "$out/$f" ] || fail "gotramp did not write $f"
  done
}

# no_x28 SYSO: no function of the packed arm64 code names x28/w28 (Go's g).
# Only function symbols' ranges are disassembled: the blob's .text also
# carries read-only data, which would decode as arbitrary instructions.
no_x28() {
  [ -x "$OBJDUMP" ] || { echo "($OBJDUMP not found: x28 check skipped)"; return 0; }
  local addr size name found=0
  while read -r addr size name; do
    if "$OBJDUMP" -d --no-show-raw-insn --start-address="0x$addr" \
      --stop-address="$((0x$addr + 0x$size))" "$1" | grep -E '^ *[0-9a-f]+:' |
      grep -Ew '[xw]28'; then
      echo "  (in $name)"
      found=1
    fi
  done < <("$OBJDUMP" -t "$1" | awk '$3 == "F" && $4 == ".text" { print $1, $5, $6 }')
  [ "$found" = 0 ] ||
    fail "$1: the arm64 native code uses x28, which holds Go's g (build it with -ffixed-x28)"
}

# vet_and_test DIR PKG: gofmt, go vet and go test of ./PKG in the module at DIR,
# for linux/amd64 (natively) and linux/arm64 (under qemu-aarch64-static).
vet_and_test() {
  local dir=$1 pkg=$2 unformatted
  unformatted=$(gofmt -l "$dir/$pkg")
  [ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"
  (
    cd "$dir"
    for arch in amd64 arm64; do
      step "go vet ./$pkg (GOARCH=$arch)"
      GOARCH=$arch go vet "./$pkg" || fail "go vet fails for GOARCH=$arch"
    done
    step "go test ./$pkg (linux/amd64)"
    GOARCH=amd64 go test -count=1 "./$pkg" || fail "go test fails on linux/amd64"
    step "go test ./$pkg (linux/arm64, qemu-aarch64-static)"
    GOARCH=arm64 go test -count=1 -exec qemu-aarch64-static "./$pkg" ||
      fail "go test fails on linux/arm64 under qemu-aarch64-static"
  )
}
