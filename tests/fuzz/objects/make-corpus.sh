#!/usr/bin/env bash
# Regenerates corpus/ (the fuzz.objects seeds) from corpus-src/*.c:
#
#   bash tests/fuzz/objects/make-corpus.sh [CLANG]
#
# Objects for linux/amd64 and linux/arm64 built the way gotramp's users
# build native code, dwarf.c also with -g for the DWARF frontend (with
# the source directory mapped to "." so it names no machine), a small
# archive (deterministic: D), and hostile_names_*.o: calls.o with a symbol and section name
# patched to bytes that are not UTF-8 (issue 15). The output is committed, so
# CI never runs this; seeds stay a few KB each.
set -euo pipefail
CLANG=${1:-/usr/lib/llvm-19/bin/clang}
AR=$(dirname "$CLANG")/llvm-ar
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/corpus
mkdir -p "$OUT"
# The regress_* inputs are findings, not generated: they stay.
find "$OUT" -maxdepth 1 -type f ! -name 'regress_*' -delete
FLAGS=(-O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin
  -ffunction-sections -fdata-sections)
for arch in amd64 arm64; do
  target=(--target=x86_64-linux-gnu)
  [ "$arch" = arm64 ] && target=(--target=aarch64-linux-gnu -ffixed-x28)
  for src in calls data dwarf; do
    "$CLANG" "${FLAGS[@]}" "${target[@]}" -c "$HERE/corpus-src/$src.c" -o "$OUT/${src}_$arch.o"
  done
  "$CLANG" "${FLAGS[@]}" "${target[@]}" -g -fdebug-prefix-map="$HERE"=. -c "$HERE/corpus-src/dwarf.c" -o "$OUT/dwarf_g_$arch.o"
  python3 - "$OUT/calls_$arch.o" "$OUT/hostile_names_$arch.o" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
assert b"fz_helper" in data
open(sys.argv[2], "wb").write(data.replace(b"fz_helper", b"fz_h\xff\xfelpe"))
PY
done
"$AR" rcD "$OUT/lib_amd64.a" "$OUT/calls_amd64.o" "$OUT/data_amd64.o"
ls -l "$OUT"
