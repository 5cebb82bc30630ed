#!/usr/bin/env bash
# e2e.libc_sqlite: SQLite as it is, in libc mode (issue 17). The amalgamation
# from the libsqlite3-sys crate (tests/rust/sqlite-sources, fetched by cargo)
# is compiled with SQLite's default options (thread-safe, pthread mutexes, the
# unix VFS, extension loading through dlopen) and the stack protector, for
# linux/amd64 and linux/arm64. One `generate` run over sqlite3.h binds it;
# tests/libc/sqlite_test.go.txt then opens a file database in WAL mode,
# writes and reads it from goroutines at once, loops over prepared
# statements and checks every result, on both targets, built with CC=false
# CGO_ENABLED=0, and on amd64 with cgo too. Each binary passes `gotramp
# verify`.
#
# SQLite keeps its system calls (open, pread64, fcntl, ...) in a writable
# table of function pointers: the packer gives each such glibc function a
# thunk (Syso.cpp), which this test needs to link at all.
#
# Exits 77 (ctest: skipped) when cargo is not installed.
source "$(dirname "$0")/lib.sh"

if ! command -v cargo >/dev/null; then
  echo "SKIP: cargo is not on PATH; it brings SQLite's sources (the libsqlite3-sys crate)"
  exit 77
fi
QEMU=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)

step "SQLite's amalgamation from the libsqlite3-sys crate (cargo metadata --offline)"
crate_dir "$SRC/tests/rust/sqlite-sources/Cargo.toml" libsqlite3-sys
AMALGAMATION=$CRATE_DIR/sqlite3
[ -f "$AMALGAMATION/sqlite3.c" ] && [ -f "$AMALGAMATION/sqlite3.h" ] ||
  fail "no sqlite3/sqlite3.c and sqlite3.h in the libsqlite3-sys crate ($CRATE_DIR)"

step "compile sqlite3.c with its default options for both targets (2 jobs)"
for t in amd64:x86_64 arm64:aarch64; do
  "$CLANG" -O2 -fPIC -fstack-protector-strong -ffunction-sections -fdata-sections \
    -fno-asynchronous-unwind-tables "--target=${t#*:}-linux-gnu" \
    -c "$AMALGAMATION/sqlite3.c" -o "$WORK/sqlite_${t%%:*}.o" >"$WORK/cc_${t%%:*}.log" 2>&1 &
done
for job in $(jobs -p); do
  wait "$job" || { cat "$WORK"/cc_*.log >&2; fail "clang could not compile sqlite3.c"; }
done
readelf -sW "$WORK/sqlite_amd64.o" >"$WORK/syms.txt"
for sym in __stack_chk_fail pthread_mutex_lock pread64 fcntl64 dlopen; do
  grep -q " UND $sym$" "$WORK/syms.txt" ||
    fail "precondition: sqlite3.o does not reference $sym (not the default build?)"
done
readelf -rW "$WORK/sqlite_amd64.o" >"$WORK/relocs.txt"
grep -q 'R_X86_64_64 .* pread64 + 0' "$WORK/relocs.txt" ||
  fail "precondition: SQLite's system-call table does not hold pread64's address in data"

step "one generate run over sqlite3.h for both targets"
new_libc_module "$WORK/mod" e2e.test/libcsqlite
OUT=$WORK/mod/sqlite
# Calls that do file I/O, take file locks or sleep in the busy handler are
# blocking: the scheduler and the GC carry on while they wait.
cat >"$WORK/sqlite.json" <<EOF
{"libc": "dynamic", "headers": ["$AMALGAMATION/sqlite3.h"], "package": "sqlite",
 "targets": ["linux/amd64", "linux/arm64"],
 "objects": ["linux/amd64=$WORK/sqlite_amd64.o", "linux/arm64=$WORK/sqlite_arm64.o"],
 "functions": {"overrides": {
   "sqlite3_open_v2": {"call_path": "blocking"}, "sqlite3_close_v2": {"call_path": "blocking"},
   "sqlite3_exec": {"call_path": "blocking"}, "sqlite3_prepare_v2": {"call_path": "blocking"},
   "sqlite3_step": {"call_path": "blocking"}}}}
EOF
run_gotramp "$WORK/gen" generate --config "$WORK/sqlite.json" --out "$OUT"
expect_ok "$WORK/gen" "generate over sqlite3.h"
# What is skipped is what SQLite's default build leaves out, and the
# variadic functions, whose call shapes the config does not declare.
skipped=$(json "$OUT/gotramp-report.json" '" ".join(sorted(s["c_name"] for s in r["skipped"]))')
for name in $skipped; do
  case $name in
  sqlite3_config | sqlite3_db_config | sqlite3_mprintf | sqlite3_vmprintf | sqlite3_snprintf | \
    sqlite3_vsnprintf | sqlite3_test_control | sqlite3_str_appendf | sqlite3_str_vappendf | \
    sqlite3_log | sqlite3_vtab_config) ;; # variadic or va_list
  sqlite3_column_database_name* | sqlite3_column_table_name* | sqlite3_column_origin_name* | \
    sqlite3_win32_* | sqlite3_mutex_held | sqlite3_mutex_notheld | sqlite3_unlock_notify | \
    sqlite3_stmt_scanstatus* | sqlite3_snapshot_* | sqlite3_carray_bind* | sqlite3_rtree_*) ;; # not compiled in
  *) show "$WORK/gen"; fail "generate skipped $name, which SQLite's default build defines" ;;
  esac
done
bound=$(json "$OUT/gotramp-report.json" 'len(r["functions"])')
[ "$bound" -ge 260 ] || fail "only $bound functions of sqlite3.h are bound"
for arch in amd64 arm64; do
  for sym in pthread_mutex_lock pread64 malloc dlopen; do
    grep -q "^//go:cgo_import_dynamic $sym $sym#GLIBC_" "$OUT/sqlite_dynimport_linux_$arch.go" ||
      fail "sqlite_dynimport_linux_$arch.go does not import $sym"
  done
  readelf -sW "$OUT/sqlite_linux_$arch.syso" >"$WORK/syso-syms.txt"
  grep -q ' gotramp_import_thunk_pread64$' "$WORK/syso-syms.txt" ||
    fail "sqlite_linux_$arch.syso has no thunk for pread64, which SQLite's system-call table holds"
done
expect_call_path "$OUT" sqlite3_step blocking_own_stack
expect_call_path "$OUT" sqlite3_bind_int64 own_stack
cp "$SRC/tests/libc/sqlite_test.go.txt" "$OUT/sqlite_test.go"
unformatted=$(gofmt -l "$OUT")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"

cd "$WORK/mod"
step "go vet on both targets"
CGO_ENABLED=0 go vet ./sqlite || fail "go vet fails (amd64)"
CGO_ENABLED=0 GOARCH=arm64 go vet ./sqlite || fail "go vet fails (arm64)"
step "linux/amd64, CGO_ENABLED=0, CC=false: a WAL database written and read by goroutines"
CGO_ENABLED=0 CC=false go test -c -o "$WORK/amd64.test" ./sqlite ||
  fail "cannot build the amd64 test without a C toolchain"
readelf -dW "$WORK/amd64.test" >"$WORK/dynamic.txt"
grep -q 'NEEDED.*\[libc.so.6\]' "$WORK/dynamic.txt" || fail "the amd64 test binary does not need libc.so.6"
(cd "$WORK" && "$WORK/amd64.test" -test.count=1 -test.v) >"$WORK/amd64.log" 2>&1 ||
  { cat "$WORK/amd64.log" >&2; fail "the amd64 SQLite test failed"; }
cat "$WORK/amd64.log"
"$GOTRAMP" verify "$WORK/amd64.test" || fail "gotramp verify rejects the amd64 test binary"
step "linux/arm64 under qemu, CGO_ENABLED=0, CC=false"
CGO_ENABLED=0 CC=false GOARCH=arm64 go test -c -o "$WORK/arm64.test" ./sqlite ||
  fail "cannot build the arm64 test without a C toolchain"
(cd "$WORK" && "${QEMU[@]}" "$WORK/arm64.test" -test.count=1 -test.v) >"$WORK/arm64.log" 2>&1 ||
  { cat "$WORK/arm64.log" >&2; fail "the arm64 SQLite test failed under qemu"; }
cat "$WORK/arm64.log"
"$GOTRAMP" verify "$WORK/arm64.test" || fail "gotramp verify rejects the arm64 test binary"
for log in amd64 arm64; do
  for t in TestLibrary TestFileDatabaseInWALModeWithGoroutines; do
    grep -q -- "--- PASS: $t " "$WORK/$log.log" || fail "$t did not pass on $log"
  done
done
step "linux/amd64 with cgo on"
CGO_ENABLED=1 go test -count=1 ./sqlite || fail "the amd64 SQLite test fails with CGO_ENABLED=1"

step "callbacks: a Go scalar function (sqlite3_create_function) and sqlite3_exec's row callback"
# sqlite3_exec and sqlite3_create_function take function pointers: the
# callback path by themselves; sqlite3_exec is marked blocking (file I/O,
# locks), as in the package above, which makes it blocking_callback.
# sqlite3_step runs the registered function and does I/O: the config gives
# it blocking_callback by name.
CBOUT=$WORK/mod/sqcb
cat >"$WORK/sqcb.json" <<EOF
{"libc": "dynamic", "headers": ["$AMALGAMATION/sqlite3.h"], "package": "sqcb",
 "targets": ["linux/amd64", "linux/arm64"],
 "objects": ["linux/amd64=$WORK/sqlite_amd64.o", "linux/arm64=$WORK/sqlite_arm64.o"],
 "functions": {"overrides": {"sqlite3_step": {"call_path": "blocking_callback"},
   "sqlite3_exec": {"call_path": "blocking"}}}}
EOF
run_gotramp "$WORK/gencb" generate --config "$WORK/sqcb.json" --out "$CBOUT"
expect_ok "$WORK/gencb" "generate over sqlite3.h with callbacks"
for pair in sqlite3_exec:blocking_callback sqlite3_create_function:callback sqlite3_step:blocking_callback; do
  expect_call_path "$CBOUT" "${pair%%:*}" "${pair#*:}"
done
expect_in "$CBOUT/sqcb.go" "the constructors" "func NewSqlite3ExecCallback(" "func NewSqlite3CreateFunctionXFunc("
cp "$SRC/tests/libc/sqlite_callbacks_test.go.txt" "$CBOUT/sqcb_test.go"
check_libc_package sqcb "SQLite callback test"
echo "PASS"
