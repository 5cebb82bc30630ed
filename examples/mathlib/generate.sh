#!/bin/sh
# Regenerates examples/mathlib/mathlib from native/mathlib.{h,c}.
#
#   GOTRAMP=path/to/gotramp CLANG=path/to/clang examples/mathlib/generate.sh
#
# or `go generate ./examples/mathlib/...`. Writes mathlib.go,
# mathlib_linux_amd64.s, mathlib_linux_amd64.syso and gotramp-report.json in
# examples/mathlib/mathlib; the other files there are hand-written.
set -eu

GOTRAMP=${GOTRAMP:-gotramp}
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}

cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$CLANG" -O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
	--target=x86_64-linux-gnu -c examples/mathlib/native/mathlib.c -o "$tmp/mathlib.o"
"$GOTRAMP" generate --header examples/mathlib/native/mathlib.h --object "$tmp/mathlib.o" \
	--package mathlib --out examples/mathlib/mathlib
