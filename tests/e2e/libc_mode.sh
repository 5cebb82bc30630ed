#!/usr/bin/env bash
# e2e.libc_mode: libc mode (issue 17). A C library that calls malloc, free,
# snprintf and strtod, sets errno and is compiled WITH -fstack-protector-strong
# is bound with --libc dynamic for linux/amd64 and linux/arm64, built without a
# C toolchain (CC=false, CGO_ENABLED=0: purego's fake cgo sets up the threads)
# and with cgo on amd64, and called from several goroutines on several threads
# at once; the results are checked against Go. The binaries need libc.so.6.
# Then the bad inputs: the default mode's message names the setting, a symbol
# glibc lacks and one newer than the baseline skip their functions by name,
# libc dynamic with link_mode static and TLS the library defines are errors.
source "$(dirname "$0")/lib.sh"

PUREGO=github.com/ebitengine/purego
PUREGO_VERSION=v0.10.2
QEMU=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null || fail "qemu-aarch64-static is not installed"
[ -f /usr/aarch64-linux-gnu/lib/libc.so.6 ] || fail "no arm64 glibc (apt-get install libc6-arm64-cross)"
# The bench module pins the same purego; its go.sum lines serve the test module.
grep -q "^$PUREGO $PUREGO_VERSION " "$SRC/bench/go.sum" || fail "bench/go.sum has no $PUREGO $PUREGO_VERSION"
[ -d "$(go env GOMODCACHE)/$PUREGO@$PUREGO_VERSION" ] ||
  fail "$PUREGO@$PUREGO_VERSION is not in the module cache: (cd bench && go mod download)"

# Not freestanding: the code uses glibc as any C library does.
LIBC_CFLAGS=(-O2 -fPIC -fstack-protector-strong -ffunction-sections -fdata-sections
  -fno-asynchronous-unwind-tables)
HEADER=$TESTDATA/libc_mode.h
for t in amd64:x86_64 arm64:aarch64; do
  "$CLANG" "${LIBC_CFLAGS[@]}" --target=${t#*:}-linux-gnu -c "$TESTDATA/libc_mode.c" \
    -o "$WORK/lm_${t%%:*}.o" || fail "clang could not compile libc_mode.c for ${t%%:*}"
done
readelf -sW "$WORK/lm_amd64.o" >"$WORK/syms.txt"
grep -q ' __stack_chk_fail$' "$WORK/syms.txt" ||
  fail "precondition: libc_mode.c was not compiled with the stack protector"
OBJECTS=(--target linux/amd64 --target linux/arm64
  --object linux/amd64="$WORK/lm_amd64.o" --object linux/arm64="$WORK/lm_arm64.o")

step "default mode (none): each function is skipped and the message names the setting"
run_gotramp "$WORK/none" generate --header "$HEADER" "${OBJECTS[@]}" --package lm --out "$WORK/none-out"
expect_error "$WORK/none" "libc none"
expect_in "$WORK/none.err" "libc none" "skipping 'lm_format'" "'malloc' (lm_format -> malloc)" \
  'set "libc": "dynamic" to import them from glibc' "nothing to bind"

new_module "$WORK/mod" e2e.test/libc
OUT=$WORK/mod/lm
REPORT=$OUT/gotramp-report.json

step "--libc dynamic: generate for both targets; the module lacks purego"
run_gotramp "$WORK/gen" generate --libc dynamic --header "$HEADER" "${OBJECTS[@]}" \
  --package lm --out "$OUT"
expect_ok "$WORK/gen" "generate --libc dynamic"
expect_in "$WORK/gen.err" "purego warning" "lm_libc_purego.go imports $PUREGO" \
  "go get $PUREGO@$PUREGO_VERSION"
expect_not_in "$WORK/gen.err" "no skipped function" "skipping"
expect_in "$OUT/lm_dynimport_linux_amd64.go" "amd64 glue" \
  '//go:cgo_import_dynamic malloc malloc#GLIBC_2.2.5 "libc.so.6"' \
  '//go:cgo_import_dynamic strtod strtod#GLIBC_2.2.5 "libc.so.6"'
expect_not_in "$OUT/lm_dynimport_linux_amd64.go" "amd64 glue" "memcpy" "strlen" "__stack_chk_fail"
expect_in "$OUT/lm_dynimport_linux_arm64.go" "arm64 glue" \
  '//go:cgo_import_dynamic malloc malloc#GLIBC_2.17 "libc.so.6"' \
  '//go:cgo_import_dynamic __stack_chk_guard __stack_chk_guard#GLIBC_2.17 "ld-linux-aarch64.so.1"'
expect_in "$OUT/lm_libc_purego.go" "purego file" '//go:build !cgo' "import _ \"$PUREGO\""
expect_in "$OUT/lm_libc_cgo.go" "cgo file" '//go:build cgo' 'import _ "runtime/cgo"'
for f in lm_dynimport_linux_amd64.go lm_dynimport_linux_arm64.go lm_libc_purego.go lm_libc_cgo.go; do
  expect_generated_header "$OUT/$f"
done
[ "$(json "$REPORT" 'r["targets"]["linux/amd64"]["libc_imports"]["snprintf"]')" = "libc.so.6 GLIBC_2.2.5" ] ||
  fail "report: targets.linux/amd64.libc_imports.snprintf is not libc.so.6 GLIBC_2.2.5"
for arch in amd64 arm64; do
  [ "$(json "$REPORT" '" ".join(r["targets"]["linux/'$arch'"]["shims"])')" = "__stack_chk_fail memcpy strlen" ] ||
    fail "report: linux/$arch: __stack_chk_fail, memcpy and strlen should come from runtime-shims/mem"
  expect_not_in "$OUT/lm_dynimport_linux_$arch.go" "$arch glue" "__stack_chk_fail"
done
for arch in amd64 arm64; do
  readelf -sW "$OUT/lm_linux_$arch.syso" >"$WORK/syso-syms.txt"
  for sym in malloc free; do
    grep -q " gotramp_import_thunk_$sym\$" "$WORK/syso-syms.txt" ||
      fail "lm_linux_$arch.syso has no thunk for $sym, which lm_allocator holds in data"
  done
done
paths=$(json "$REPORT" '" ".join(sorted({t["call_path"] for f in r["functions"] for t in f["targets"].values()}))')
[ "$paths" = own_stack ] || fail "report: functions that reach glibc have call paths '$paths', want own_stack"
for field in call_path_reason frame_source; do
  why=$(json "$REPORT" "[t['$field'] for f in r['functions'] if f['c_name'] == 'lm_format' for t in f['targets'].values()][0]")
  case $why in
  *"is glibc's (libc mode imports it from libc.so.6), whose stack use the analysis cannot see"* | \
    *"own stack chosen by functions.unknown_bound, as the code reaches glibc"*) ;;
  *) fail "report: lm_format's $field does not say that it reaches glibc: $why" ;;
  esac
done

step "the same inputs through the config's \"libc\": \"dynamic\", twice: byte-identical"
cat >"$WORK/libc.json" <<EOF
{"libc": "dynamic", "headers": ["$HEADER"], "package": "lm",
 "targets": ["linux/amd64", "linux/arm64"],
 "objects": ["linux/amd64=$WORK/lm_amd64.o", "linux/arm64=$WORK/lm_arm64.o"]}
EOF
run_gotramp "$WORK/check" generate --config "$WORK/libc.json" --out "$OUT" --check
expect_ok "$WORK/check" "--check after generating with --libc dynamic"
cp -r "$OUT" "$WORK/first-run"
run_gotramp "$WORK/again" generate --libc dynamic --header "$HEADER" "${OBJECTS[@]}" \
  --package lm --out "$OUT"
expect_ok "$WORK/again" "second generate"
diff -r "$WORK/first-run" "$OUT" || fail "the second run wrote different files"

step "the module requires purego: no warning"
(cd "$WORK/mod" && go mod edit -require=$PUREGO@$PUREGO_VERSION &&
  grep "^$PUREGO $PUREGO_VERSION[ /]" "$SRC/bench/go.sum" >>go.sum) ||
  fail "cannot add purego to the test module"
run_gotramp "$WORK/gen2" generate --libc dynamic --header "$HEADER" "${OBJECTS[@]}" \
  --package lm --out "$OUT"
expect_ok "$WORK/gen2" "generate with purego required"
expect_not_in "$WORK/gen2.err" "purego warning" "$PUREGO"

cp "$E2E/testdata/libc_mode_test.go.txt" "$OUT/lm_test.go"
unformatted=$(gofmt -l "$OUT")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"
cd "$WORK/mod"
step "go vet on both targets (CGO_ENABLED=0)"
CGO_ENABLED=0 go vet ./lm || fail "go vet fails (amd64)"
CGO_ENABLED=0 GOARCH=arm64 go vet ./lm || fail "go vet fails (arm64)"

step "linux/amd64, CGO_ENABLED=0, CC=false: several threads use malloc and errno at once"
CGO_ENABLED=0 CC=false go test -c -o "$WORK/amd64.test" ./lm || fail "cannot build the amd64 test without a C toolchain"
readelf -dW "$WORK/amd64.test" | grep -c 'NEEDED.*\[libc.so.6\]' >/dev/null || fail "the amd64 test binary does not need libc.so.6"
file "$WORK/amd64.test" | grep -c 'dynamically linked' >/dev/null || fail "file does not call the amd64 binary dynamically linked"
"$WORK/amd64.test" -test.count=1 -test.v || fail "the amd64 test failed"
# Every relocation but those into glibc is checked; those are masked.
run_gotramp "$WORK/verify" verify "$WORK/amd64.test"
expect_ok "$WORK/verify" "gotramp verify on the amd64 libc-mode binary"

step "linux/arm64 under qemu, CGO_ENABLED=0, CC=false"
CGO_ENABLED=0 CC=false GOARCH=arm64 go test -c -o "$WORK/arm64.test" ./lm ||
  fail "cannot build the arm64 test without a C toolchain"
readelf -dW "$WORK/arm64.test" | grep -c 'NEEDED.*\[libc.so.6\]' >/dev/null || fail "the arm64 test binary does not need libc.so.6"
"${QEMU[@]}" "$WORK/arm64.test" -test.count=1 -test.v || fail "the arm64 test failed under qemu"
run_gotramp "$WORK/verify64" verify "$WORK/arm64.test"
expect_ok "$WORK/verify64" "gotramp verify on the arm64 libc-mode binary"

# purego v0.10.2 on the oldest and newest Go the suite knows, when their
# toolchains are in the module cache (the canary tests fetch them).
for v in go1.23.12 go1.27.3; do
  [ -d "$(go env GOMODCACHE)/golang.org/toolchain@v0.0.1-$v.linux-amd64" ] || continue
  step "$v: both targets, CGO_ENABLED=0, CC=false"
  GOTOOLCHAIN=$v CGO_ENABLED=0 CC=false go test -count=1 ./lm || fail "the amd64 test fails on $v"
  GOTOOLCHAIN=$v CGO_ENABLED=0 CC=false GOARCH=arm64 go test -count=1 -exec "${QEMU[*]}" ./lm ||
    fail "the arm64 test fails on $v"
done

step "linux/amd64 with cgo on (runtime/cgo sets up the threads), and the other link modes"
CGO_ENABLED=1 go test -count=1 ./lm || fail "the amd64 test fails with CGO_ENABLED=1"
CGO_ENABLED=1 go test -count=1 -ldflags=-linkmode=external ./lm ||
  fail "the amd64 test fails with -ldflags=-linkmode=external"
CGO_ENABLED=0 CC=false go test -count=1 -buildmode=pie ./lm || fail "the amd64 test fails with -buildmode=pie"

step "without the thread setup, glibc's malloc runs on Go's TLS and the test fails"
mv "$OUT/lm_libc_purego.go" "$WORK/saved.go"
if CGO_ENABLED=0 go test -count=1 ./lm >"$WORK/notls.log" 2>&1; then
  fail "the test passed without purego's fake cgo: it does not exercise glibc's TLS"
fi
mv "$WORK/saved.go" "$OUT/lm_libc_purego.go"

step "\"memory_routines\": \"libc\": memcpy and strlen from glibc, on both targets"
cd "$WORK/mod"
GOUT=$WORK/mod/lmg
printf '{"libc": "dynamic", "memory_routines": "libc"}\n' >"$WORK/memlibc.json"
run_gotramp "$WORK/memlibc" generate --config "$WORK/memlibc.json" --header "$HEADER" \
  "${OBJECTS[@]}" --package lmg --out "$GOUT"
expect_ok "$WORK/memlibc" "generate with memory_routines libc"
for arch in amd64 arm64; do
  # The stack protector's failure routine is not a memory routine: it stays.
  [ "$(json "$GOUT/gotramp-report.json" "' '.join(r['targets']['linux/$arch']['shims'])")" = __stack_chk_fail ] ||
    fail "memory_routines libc: linux/$arch packs shims other than __stack_chk_fail"
  for sym in memcpy strlen; do
    grep -q "^//go:cgo_import_dynamic $sym $sym#GLIBC_" "$GOUT/lmg_dynimport_linux_$arch.go" ||
      fail "memory_routines libc: lmg_dynimport_linux_$arch.go does not import $sym"
  done
done
sed 's/^package lm$/package lmg/' "$E2E/testdata/libc_mode_test.go.txt" >"$GOUT/lmg_test.go"
CGO_ENABLED=0 CC=false go test -count=1 ./lmg || fail "the amd64 test fails with glibc's memory routines"
CGO_ENABLED=0 CC=false GOARCH=arm64 go test -count=1 -exec "${QEMU[*]}" ./lmg ||
  fail "the arm64 test fails with glibc's memory routines"
run_gotramp "$WORK/memnone" generate --memory-routines libc --header "$HEADER" \
  "${OBJECTS[@]}" --package lmg --out "$WORK/memnone-out"
expect_error "$WORK/memnone" "memory_routines libc without libc mode"
expect_in "$WORK/memnone.err" "memory_routines libc without libc mode" \
  '"memory_routines": "libc" (--memory-routines libc)' 'add "libc": "dynamic" (--libc dynamic)'
printf '{"libc": "dynamic", "memory_routines": "fast"}\n' >"$WORK/membad.json"
run_gotramp "$WORK/membad" generate --config "$WORK/membad.json" --header "$HEADER" \
  "${OBJECTS[@]}" --package lmg --out "$WORK/memnone-out"
expect_error "$WORK/membad" "memory_routines: fast"
expect_in "$WORK/membad.err" "memory_routines: fast" 'memory_routines: expected "shims" or "libc"'

step "bad input: a symbol glibc lacks, a version newer than GLIBC_2.34"
cd "$WORK"
"$CLANG" "${LIBC_CFLAGS[@]}" --target=x86_64-linux-gnu -c "$TESTDATA/libc_bad.c" -o "$WORK/bad.o" ||
  fail "clang could not compile libc_bad.c"
printf '{"libc": "dynamic"}\n' >"$WORK/dynamic.json"
run_gotramp "$WORK/bad" generate --config "$WORK/dynamic.json" --header "$TESTDATA/libc_bad.h" \
  --object "$WORK/bad.o" --package lb --out "$WORK/bad-out"
expect_ok "$WORK/bad" "generate with bad functions (skipped)"
expect_in "$WORK/bad.err" "glibc lacks" \
  "libc_bad.h:$(location "$TESTDATA/libc_bad.h" lb_missing): warning: skipping 'lb_missing'" \
  "'gotramp_no_such_function' (lb_missing -> gotramp_no_such_function)" \
  "does not export; libc mode imports only what glibc exports"
expect_in "$WORK/bad.err" "newer than the baseline" \
  "libc_bad.h:$(location "$TESTDATA/libc_bad.h" lb_too_new): warning: skipping 'lb_too_new'" \
  "'arc4random' (lb_too_new -> arc4random), which libc.so.6 exports only at GLIBC_2.36" \
  "newer than GLIBC_2.34"
expect_in "$WORK/bad.err" "the rest is bound" "1 function(s) bound, 2 skipped"
run_gotramp "$WORK/strict" generate --libc dynamic --strict --header "$TESTDATA/libc_bad.h" \
  --object "$WORK/bad.o" --package lb --out "$WORK/strict-out"
expect_error "$WORK/strict" "--strict with bad functions"
expect_in "$WORK/strict.err" "--strict" "error: skipping 'lb_missing'" "error: skipping 'lb_too_new'"

step "bad input: libc dynamic with link_mode static"
printf '{"libc": "dynamic", "link_mode": "static"}\n' >"$WORK/static.json"
run_gotramp "$WORK/static" generate --config "$WORK/static.json" --header "$HEADER" \
  --object "$WORK/lm_amd64.o" --package lm --out "$WORK/static-out"
expect_error "$WORK/static" "libc dynamic + link_mode static"
expect_in "$WORK/static.err" "libc dynamic + link_mode static" \
  '"libc": "dynamic" (--libc dynamic) imports glibc at run time' '"link_mode": "static"'
printf '{"libc": "yes"}\n' >"$WORK/badvalue.json"
run_gotramp "$WORK/badvalue" generate --config "$WORK/badvalue.json" --header "$HEADER" \
  --object "$WORK/lm_amd64.o" --package lm --out "$WORK/static-out"
expect_error "$WORK/badvalue" "libc: yes"
expect_in "$WORK/badvalue.err" "libc: yes" 'libc: expected "none" or "dynamic"'

step "bad input: thread-local storage the library defines"
printf '__thread int lt_counter;\nint lt_next(void) { return ++lt_counter; }\n' >"$WORK/tls.c"
printf 'int lt_next(void);\n' >"$WORK/tls.h"
"$CLANG" "${LIBC_CFLAGS[@]}" --target=x86_64-linux-gnu -c "$WORK/tls.c" -o "$WORK/tls.o" ||
  fail "clang could not compile tls.c"
run_gotramp "$WORK/tls" generate --libc dynamic --strict --header "$WORK/tls.h" \
  --object "$WORK/tls.o" --package lt --out "$WORK/tls-out"
expect_error "$WORK/tls" "TLS in libc mode"
expect_in "$WORK/tls.err" "TLS in libc mode" "skipping 'lt_next'" \
  "'__tls_get_addr' means a thread-local variable defined by the native code"
step "bad input: the address of a glibc object stored in data"
printf 'extern void *stderr;\nvoid **le_where = &stderr;\nint le_has_stderr(void) { return *le_where != 0; }\n' >"$WORK/obj.c"
printf 'int le_has_stderr(void);\n' >"$WORK/obj.h"
"$CLANG" "${LIBC_CFLAGS[@]}" --target=x86_64-linux-gnu -c "$WORK/obj.c" -o "$WORK/obj.o" ||
  fail "clang could not compile obj.c"
run_gotramp "$WORK/obj" generate --libc dynamic --header "$WORK/obj.h" \
  --object "$WORK/obj.o" --package le --out "$WORK/obj-out"
expect_error "$WORK/obj" "a glibc object's address in data"
expect_in "$WORK/obj.err" "a glibc object's address in data" \
  "stores the address of libc.so.6's object 'stderr' in data (.data+0x0, in 'le_where')" "take its address in code instead"
echo "PASS"
