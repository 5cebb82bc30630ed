#!/bin/sh
# Compiles the example's C library for each target into native/out/, where
# gotramp.json expects it. Freestanding, position-independent, no stack
# protector (README: "Compiling native code for gotramp"); on arm64 x28 is
# Go's g register and must stay untouched (-ffixed-x28), and
# -ffunction-sections lets the packer drop mathlib_ld_half, whose soft-float
# call (__multf3) nothing defines.
set -eu
CLANG=${CLANG:-/usr/lib/llvm-19/bin/clang}
here=$(cd "$(dirname "$0")" && pwd)
flags="-O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin -ffunction-sections -fdata-sections"
mkdir -p "$here/out"
"$CLANG" $flags --target=x86_64-linux-gnu -c "$here/mathlib.c" -o "$here/out/mathlib_linux_amd64.o"
"$CLANG" $flags -ffixed-x28 --target=aarch64-linux-gnu \
	-c "$here/mathlib.c" -o "$here/out/mathlib_linux_arm64.o"
