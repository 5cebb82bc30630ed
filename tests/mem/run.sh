#!/usr/bin/env bash
# mem.routines: runtime-shims/mem as gotramp packs it, on linux/amd64 and on
# linux/arm64 under qemu-aarch64-static. native/memtest.c calls every routine
# once per wrapper (compiled with -fno-builtin, so the calls stay calls and
# the packer supplies the routines); testdata/memtest/mem_test.go compares
# each with a Go reference on every size to a few hundred bytes, every
# alignment, large sizes, overlapping memmove and data that ends at a page
# followed by a PROT_NONE page.
#
#   bash tests/mem/run.sh GOTRAMP CLANG SOURCE_DIR [go test args...]
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 GOTRAMP CLANG SOURCE_DIR [go test args...]" >&2; exit 2; }
GOTRAMP=$(realpath "$1")
CLANG=$2
SRC=$(realpath "$3")
shift 3
HERE=$SRC/tests/mem
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gotramp-mem.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '=== %s\n' "$*"; }

ROOT=$WORK/repo
PKG=$ROOT/tests/mem/memtest
mkdir -p "$ROOT/runtime-shims" "$ROOT/tests/mem"
cp "$SRC/go.mod" "$SRC/go.sum" "$ROOT/"
cp -R "$SRC/runtime-shims/go" "$ROOT/runtime-shims/go"
cp -R "$HERE/testdata/memtest" "$PKG"

step "compile native/memtest.c for both targets"
CFLAGS=(-O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables
  -fno-builtin -ffunction-sections)
"$CLANG" "${CFLAGS[@]}" --target=x86_64-linux-gnu -c "$HERE/native/memtest.c" -o "$WORK/amd64.o"
"$CLANG" "${CFLAGS[@]}" --target=aarch64-linux-gnu -ffixed-x28 -c "$HERE/native/memtest.c" \
  -o "$WORK/arm64.o"

step "gotramp generate (both targets)"
"$GOTRAMP" generate --header "$HERE/native/memtest.h" --package memtest --out "$PKG" \
  --object "linux/amd64=$WORK/amd64.o" --object "linux/arm64=$WORK/arm64.o" \
  --target linux/amd64 --target linux/arm64 --strict || fail "gotramp generate failed"
[ -z "$(gofmt -l "$PKG")" ] || fail "gofmt -l lists: $(gofmt -l "$PKG")"
for routine in memcpy memmove memset memcmp bcmp strlen strnlen memchr strchr strcmp strncmp; do
  grep -q "\"$routine\"" "$PKG/gotramp-report.json" ||
    fail "the report does not list $routine among the packed routines"
done

cd "$ROOT"
for arch in amd64 arm64; do
  step "go vet ./tests/mem/memtest (GOARCH=$arch)"
  GOARCH=$arch go vet ./tests/mem/memtest || fail "go vet fails for GOARCH=$arch"
done
step "go test (linux/amd64)"
GOARCH=amd64 go test -count=1 ./tests/mem/memtest "$@" || fail "go test fails on linux/amd64"
step "go test (linux/arm64 under qemu-aarch64-static)"
GOARCH=arm64 go test -count=1 -exec qemu-aarch64-static ./tests/mem/memtest "$@" ||
  fail "go test fails on linux/arm64"
echo PASS
