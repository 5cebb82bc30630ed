#!/bin/sh
# Compiles bench/native into native/out/:
#   calls_linux_amd64.o, xxh_linux_amd64.o  freestanding objects for gotramp
#                                           (paths/gotramp*/gotramp.json)
#   cb_linux_amd64.o                        the callback functions, for
#                                           gotramp (paths/gotrampcb)
#   libtbcalls.so, libtbcb.so               calls.c and cb.c as shared
#                                           libraries, for purego
#   crc32floor                              the C loop of the shared-library
#                                           rows: crc32 in Debian's libz.so.1
# xxh.c includes Debian's /usr/include/xxhash.h (libxxhash-dev);
# crc32floor.c includes zlib.h and links -lz (zlib1g-dev).
set -eu
CLANG=${CLANG:-clang-19}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
mkdir -p "$out"
# The flags of the README's "Compiling native code for gotramp".
flags="-O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin --target=x86_64-linux-gnu"
"$CLANG" $flags -c "$here/calls.c" -o "$out/calls_linux_amd64.o"
"$CLANG" $flags -c "$here/xxh.c" -o "$out/xxh_linux_amd64.o"
"$CLANG" $flags -c "$here/cb.c" -o "$out/cb_linux_amd64.o"
"$CLANG" $flags -shared "$here/calls.c" -o "$out/libtbcalls.so"
"$CLANG" $flags -shared "$here/cb.c" -o "$out/libtbcb.so"
# An ordinary program: the floor is C calling the library the usual way.
"$CLANG" -O2 "$here/crc32floor.c" -o "$out/crc32floor" -lz
