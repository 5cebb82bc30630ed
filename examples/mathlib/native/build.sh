#!/bin/sh
# Compiles the example's C library into native/out/, where gotramp.json
# expects it. Freestanding, position-independent, no stack protector (see the
# README's "Compiling native code for gotramp").
set -eu
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/out"
"$CLANG" -O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
	--target=x86_64-linux-gnu -c "$here/mathlib.c" -o "$here/out/mathlib_linux_amd64.o"
