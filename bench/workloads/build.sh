#!/usr/bin/env bash
# Compiles the four libraries from their crates' bundled sources (cargo
# fetch, sources/Cargo.toml) for linux/amd64 as a C library normally is
# compiled, into out/: one archive per library for gotramp and the C loop,
# and a copy with every defined global symbol prefixed cgo_ for the cgo
# packages (the same objects; the prefix keeps them apart from
# mattn/go-sqlite3's own SQLite in the same binary). Then generates the
# gotramp packages (gen/*) from the unprefixed archives.
#
#   build.sh GOTRAMP CLANG
set -euo pipefail
wl=$(cd "$(dirname "$0")" && pwd)
GOTRAMP=$1 CLANG=$2
out=$wl/out
AR=$(dirname "$(realpath "$(command -v "$CLANG")")")/llvm-ar
OBJCOPY=$(dirname "$(realpath "$(command -v "$CLANG")")")/llvm-objcopy
# A C library's usual flags (the brief of issue 18), no unwind tables as in
# tests/e2e/libc_*.sh. BENCH_CFLAGS adds flags (run.sh's environment): the
# same objects serve every path. A string: the xargs jobs below get it
# exported.
FLAGS="-O2 -fPIC -fstack-protector-strong -ffunction-sections -fdata-sections
  -fno-asynchronous-unwind-tables --target=x86_64-linux-gnu ${BENCH_CFLAGS:-}"

# Offline first (scripts/test.sh fetched the crates; the tests run offline),
# then fetch.
meta=$(cargo metadata --offline --locked --format-version 1 --manifest-path "$wl/sources/Cargo.toml" 2>/dev/null) || {
  cargo fetch --locked --manifest-path "$wl/sources/Cargo.toml" >/dev/null
  meta=$(cargo metadata --offline --locked --format-version 1 --manifest-path "$wl/sources/Cargo.toml")
}
crate() {
  python3 -c 'import json,sys,os; r=json.load(sys.stdin); print(os.path.dirname([p["manifest_path"] for p in r["packages"] if p["name"]==sys.argv[1]][0]))' "$1" <<<"$meta"
}
LZ4=$(crate lz4-sys)/liblz4/lib
ZSTD=$(crate zstd-sys)/zstd/lib
ZLIB=$(crate libz-sys)/src/zlib
SQLITE=$(crate libsqlite3-sys)/sqlite3
for f in "$LZ4/lz4.h" "$ZSTD/zstd.h" "$ZLIB/zlib.h" "$SQLITE/sqlite3.h"; do
  [ -f "$f" ] || { echo "build.sh: $f is missing from its crate" >&2; exit 1; }
done
rm -rf "$out" && mkdir -p "$out"/obj/{lz4,zstd,zlib,sqlite} "$out/include"
cp "$LZ4/lz4.h" "$ZSTD/zstd.h" "$ZLIB/zlib.h" "$ZLIB/zconf.h" "$SQLITE/sqlite3.h" "$out/include/"
printf 'lz4 %s\nzstd %s\nzlib %s\nsqlite %s\n' "$LZ4" "$ZSTD" "$ZLIB" "$SQLITE" >"$out/sources.txt"

# job LIB SRC, with more flags in $EXTRA: one compilation, run by xargs.
job() {
  # shellcheck disable=SC2086 # flag lists
  "$CLANG" $FLAGS $EXTRA -c "$2" -o "$out/obj/$1/$(basename "$(dirname "$2")")_$(basename "$2").o"
}
export -f job
export CLANG out FLAGS
# srcs LIB EXTRA SRC...: the jobs for one library
srcs() {
  local lib=$1 extra=$2; shift 2
  for s in "$@"; do printf '%s\0%s\0%s\0' "$lib" "$extra" "$s"; done
}
{
  srcs lz4 "" "$LZ4/lz4.c"
  # zstd as in tests/e2e/libc_zstd.sh: no trace hooks (weak undefined symbols)
  srcs zstd "-DZSTD_NO_TRACE" "$ZSTD"/common/*.c "$ZSTD"/compress/*.c "$ZSTD"/decompress/*.c "$ZSTD"/decompress/*.S
  srcs zlib "-D_LARGEFILE64_SOURCE=1" "$ZLIB"/*.c
  # SQLite with its default options, as tests/e2e/libc_sqlite.sh
  srcs sqlite "" "$SQLITE/sqlite3.c"
} | xargs -0 -n 3 -P 2 bash -c 'EXTRA=$1 job "$0" "$2"'
for lib in lz4 zstd zlib sqlite; do
  "$AR" rcs "$out/lib${lib}.a" "$out/obj/$lib/"*.o
  # cgo copy: every defined global renamed cgo_NAME, references included.
  nm --defined-only -g "$out/lib${lib}.a" 2>/dev/null | awk 'NF==3 {print $3" cgo_"$3}' | sort -u >"$out/${lib}.syms"
  "$OBJCOPY" --redefine-syms="$out/${lib}.syms" "$out/lib${lib}.a" "$out/lib${lib}_cgo.a"
  # The header renames the declarations, except where a header of the
  # library defines the name as a function-like macro too (zlib's gzgetc).
  macros=$(cat "$out/include/"{lz4,zstd,zlib,zconf,sqlite3}.h | sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}\([A-Za-z_0-9]*\)(.*/\1/p' | sort -u)
  awk 'NR == FNR {m[$1] = 1; next} !($1 in m) {print "#define "$1" "$2}' <(echo "$macros") "$out/${lib}.syms" \
    >"$out/include/${lib}_cgo_names.h"
done

# gotramp packages, libc mode
gen() { # dir package header [overrides]
  local dir=$wl/gen/$1 pkg=$2 lib=$3 header=$4 overrides=${5:-}
  rm -rf "$dir" && mkdir -p "$dir"
  cat >"$out/$pkg.json" <<JSON
{"libc": "dynamic", "package": "$pkg", "out": "$dir",
 "headers": ["$out/include/$header"], "targets": ["linux/amd64"],
 "objects": ["linux/amd64=$out/lib$lib.a"],
 "functions": {"overrides": {$overrides}}}
JSON
  "$GOTRAMP" generate --config "$out/$pkg.json" >"$out/$pkg.gen.log" 2>&1 ||
    { cat "$out/$pkg.gen.log" >&2; exit 1; }
}
gen lz4 lz4 lz4 lz4.h
gen zstd zstd zstd zstd.h
gen zlib zlib zlib zlib.h
# As tests/e2e/libc_sqlite.sh: the calls that do file I/O, take locks or
# sleep in the busy handler are blocking.
# sqlite3_bind_text takes a destructor pointer, which would give it the
# callback path; the benchmark passes SQLITE_TRANSIENT, never a Go callback,
# so it stays on own_stack, where the measured runs had it.
blocking='"sqlite3_open_v2": {"call_path": "blocking"}, "sqlite3_close_v2": {"call_path": "blocking"},
   "sqlite3_exec": {"call_path": "blocking"}, "sqlite3_prepare_v2": {"call_path": "blocking"},
   "sqlite3_bind_text": {"call_path": "own_stack"}'
gen sqlite sqlite sqlite sqlite3.h "$blocking, \"sqlite3_step\": {\"call_path\": \"blocking\"}"
# The same with sqlite3_step on own_stack: the point query's step reads a
# cached page and never blocks.
gen sqliteos sqliteos sqlite sqlite3.h "$blocking, \"sqlite3_step\": {\"call_path\": \"own_stack\"}"
