#!/usr/bin/env bash
# e2e.hostile_codegen: inputs that used to generate Go that did not build,
# or built and computed the wrong thing. Each ends in a clear message (a
# skip warning naming the function, file and line, or an error naming the
# option) or in code that is gofmt-clean, vets, builds and returns the right
# values on linux/amd64 and linux/arm64 (qemu).
source "$(dirname "$0")/lib.sh"

H=$TESTDATA/hostile

# compile_both SRC NAME [flags...]: $WORK/NAME_amd64.o and $WORK/NAME_arm64.o.
compile_both() {
  local src=$1 name=$2
  shift 2
  compile_native "$src" "$WORK/${name}_amd64.o" --target=x86_64-linux-gnu "$@"
  compile_native "$src" "$WORK/${name}_arm64.o" --target=aarch64-linux-gnu -ffixed-x28 "$@"
}

# both_objects NAME: the --target/--object arguments for compile_both's objects.
both_objects() {
  echo --target linux/amd64 --target linux/arm64 \
    --object "linux/amd64=$WORK/$1_amd64.o" --object "linux/arm64=$WORK/$1_arm64.o"
}

# check_package DIR: gofmt-clean, vets and passes its tests on both targets.
check_package() {
  local dir=$1
  [ -z "$(gofmt -l "$dir")" ] || { gofmt -d "$dir" >&2; fail "gofmt -l lists: $(gofmt -l "$dir")"; }
  (cd "$dir" && CGO_ENABLED=0 go vet . && CGO_ENABLED=0 go test -count=1 . &&
    GOARCH=arm64 CGO_ENABLED=0 go vet . &&
    GOARCH=arm64 CGO_ENABLED=0 go test -count=1 -exec qemu-aarch64-static .) ||
    fail "the package in $dir does not vet, build or run on both targets"
}

new_module "$WORK/mod" e2e.test/hostile

step "1. K&R definitions in DWARF mode are skipped, the prototyped ones bound"
compile_both "$H/kr.c" kr -g -Wno-deprecated-non-prototype
run_gotramp "$WORK/kr" generate $(both_objects kr) --package krtest --out "$WORK/mod/krtest"
expect_ok "$WORK/kr" "generate from K&R definitions"
KR_C=$(realpath "$H/kr.c")
# DWARF from clang has no DW_AT_decl_column: the location is FILE:LINE.
for name in kr_twice kr_add; do
  line=$(location "$H/kr.c" "$name")
  expect_in "$WORK/kr.err" "K&R skip" \
    "$KR_C:${line%%:*}: warning: skipping '$name': defined without a prototype (K&R style)"
done
expect_in "$WORK/kr.err" "K&R skip" "define it with one: 'float kr_twice(float f)'" \
  "krtest: 3 function(s) bound, 2 skipped"
cat >"$WORK/mod/krtest/kr_test.go" <<'GO'
package krtest

import "testing"

func TestPrototyped(t *testing.T) {
	if got := ProtoTwice(1.5); got != 3 {
		t.Errorf("ProtoTwice(1.5) = %v, want 3", got)
	}
	if got := ProtoAdd(-7, 1000); got != 993 {
		t.Errorf("ProtoAdd(-7, 1000) = %v, want 993", got)
	}
	if got := KrSeven(); got != 7 {
		t.Errorf("KrSeven() = %v, want 7", got)
	}
}
GO
check_package "$WORK/mod/krtest"

step "2. parameters named after assembler registers, pseudo-registers and macros"
compile_both "$H/regs.c" regs
run_gotramp "$WORK/regs" generate --header "$H/regs.h" $(both_objects regs) \
  --package regstest --out "$WORK/mod/regstest"
expect_ok "$WORK/regs" "generate with register-named parameters"
expect_not_in "$WORK/regs.err" "register-named parameters" "skipping"
expect_in "$WORK/mod/regstest/regstest.go" "renamed parameters" \
  "func RegsPseudo(SP_ int64, FP_ int64, SB_ int64, PC_ int64, g__ int64, ret__ int64, g_ int64, ret_ int64) int64" \
  "func CallRegsCallback(fn uintptr, fn__ int64, fn_ int64, SP_ int64) int64"
cat >"$WORK/mod/regstest/regs_test.go" <<'GO'
package regstest

import (
	"math"
	"testing"
)

// weigh is what each regs_* function computes: the sum of (i+1) * x[i].
func weigh(xs ...int64) (s int64) {
	for i, x := range xs {
		s += int64(i+1) * x
	}
	return s
}

func TestRegisterNames(t *testing.T) {
	a := []int64{1001, -2002, 3003, -4004, 5005, -6006, 7007, -8008, 9009, -10010}
	if got, want := RegsPseudo(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]), weigh(a[:8]...); got != want {
		t.Errorf("RegsPseudo = %d, want %d", got, want)
	}
	if got, want := RegsAmd64(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]), weigh(a[:9]...); got != want {
		t.Errorf("RegsAmd64 = %d, want %d", got, want)
	}
	if got, want := RegsArm64(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]), weigh(a[:8]...); got != want {
		t.Errorf("RegsArm64 = %d, want %d", got, want)
	}
	if got, want := RegsOperands(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]), weigh(a...); got != want {
		t.Errorf("RegsOperands = %d, want %d", got, want)
	}
	if got, want := RegsMacros(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]), weigh(a[:9]...); got != want {
		t.Errorf("RegsMacros = %d, want %d", got, want)
	}
	f := []float64{0.5, -1.25, 3, math.Pi, -7.75, 1e10}
	if got, want := RegsFloat(f[0], f[1], f[2], f[3], f[4], f[5]), f[0]+2*f[1]+4*f[2]+8*f[3]+16*f[4]+32*f[5]; got != want {
		t.Errorf("RegsFloat = %v, want %v", got, want)
	}
	if got, want := CallRegsCallback(RegsGetCallback(), a[0], a[1], a[2]), weigh(a[:3]...); got != want {
		t.Errorf("CallRegsCallback = %d, want %d", got, want)
	}
}
GO
check_package "$WORK/mod/regstest"

step "2. every name the Go toolchain's amd64 and arm64 assemblers know, as a parameter"
mkdir -p "$WORK/asm" "$WORK/mod/asmtest"
python3 "$H/asmnames.py" "$(go env GOROOT)" "$WORK/asm" asmtest || fail "asmnames.py failed"
compile_both "$WORK/asm/asmnames.c" asmnames
run_gotramp "$WORK/asmgen" generate --header "$WORK/asm/asmnames.h" $(both_objects asmnames) \
  --package asmtest --out "$WORK/mod/asmtest"
expect_ok "$WORK/asmgen" "generate with every assembler name"
expect_not_in "$WORK/asmgen.err" "every assembler name" "skipping"
cp "$WORK/asm/asmnames_test.go" "$WORK/mod/asmtest/"
check_package "$WORK/mod/asmtest"

step "3. unsigned 64-bit enums: the constants keep their unsigned values (header and DWARF mode)"
compile_both "$H/enums.c" enums -g
for mode in header dwarf; do
  pkg=enums$mode
  inputs=()
  [ "$mode" = header ] && inputs=(--header "$H/enums.h")
  run_gotramp "$WORK/$pkg" generate "${inputs[@]}" $(both_objects enums) --package "$pkg" \
    --out "$WORK/mod/$pkg"
  expect_ok "$WORK/$pkg" "generate enums ($mode)"
  expect_in "$WORK/mod/$pkg/$pkg.go" "enum constants ($mode)" \
    "const HUGE_ALL Huge = 18446744073709551615" "const U32_MAX U32 = 4294967295" \
    "const WIDE_MIN Wide = -9223372036854775808"
  cat >"$WORK/mod/$pkg/enums_test.go" <<GO
package $pkg

import "testing"

func TestEnumValues(t *testing.T) {
	for i, c := range []Huge{HUGE_ALL, HUGE_TOP, HUGE_ONE} {
		if got := EnumHuge(int32(i)); got != uint64(c) {
			t.Errorf("huge %d: C has %#x, Go %#x", i, got, uint64(c))
		}
		if got := HugeId(c); got != c {
			t.Errorf("HugeId(%#x) = %#x", uint64(c), uint64(got))
		}
	}
	for i, c := range []U32{U32_MAX, U32_ONE} {
		if got := EnumU32(int32(i)); got != uint64(c) {
			t.Errorf("u32 %d: C has %#x, Go %#x", i, got, uint64(c))
		}
		if got := U32Id(c); got != c {
			t.Errorf("U32Id(%#x) = %#x", uint64(c), uint64(got))
		}
	}
	for i, c := range []Wide{WIDE_MIN, WIDE_MAX} {
		if got := EnumWide(int32(i)); got != int64(c) {
			t.Errorf("wide %d: C has %d, Go %d", i, got, int64(c))
		}
		if got := WideId(c); got != c {
			t.Errorf("WideId(%d) = %d", int64(c), int64(got))
		}
	}
}
GO
  check_package "$WORK/mod/$pkg"
done

step "4. doc comments: invalid UTF-8, NUL-free, gofmt-canonical (quotes, headings, link definitions)"
# The golden case's input (tests/golden/cases/doccomments), built and run here.
DOCS=$SRC/tests/golden/cases/doccomments
compile_both "$DOCS/input.c" docs
run_gotramp "$WORK/docs" generate --header "$DOCS/input.h" $(both_objects docs) --package docstest \
  --out "$WORK/mod/docstest"
expect_ok "$WORK/docs" "generate with nasty doc comments"
python3 - "$WORK/mod/docstest/docstest.go" <<'PY' || fail "docstest.go is not valid UTF-8 or has NUL/BOM"
import sys
b = open(sys.argv[1], "rb").read()
t = b.decode("utf-8")  # raises on invalid UTF-8
assert "\0" not in t and "\ufeff" not in t, "NUL or BOM"
PY
expect_in "$WORK/mod/docstest/docstest.go" "rewritten doc text" "// Latin-1: caf�," \
  "// “Quoted” twice" "// # Overview" "// # Tabbed heading" "// # See Also Foo"
cat >"$WORK/mod/docstest/docs_test.go" <<'GO'
package docstest

import "testing"

func TestDocs(t *testing.T) {
	for i, got := range []int32{DocBytes(10), DocMarkup(10), DocLinks(10), DocOnlyLinks(10), DocLastHeading(10), DocStar(10)} {
		if want := int32(11 + i); got != want {
			t.Errorf("function %d returned %d, want %d", i, got, want)
		}
	}
	if DOC_MAX != 3 || DOC_E != 1 {
		t.Errorf("DOC_MAX = %d, DOC_E = %d", DOC_MAX, DOC_E)
	}
}
GO
check_package "$WORK/mod/docstest"

step "4. random doc comments of everything gofmt rewrites: gofmt -l stays empty"
for seed in 1 2 3; do
  mkdir -p "$WORK/fuzz$seed" "$WORK/mod/fuzz$seed"
  python3 "$H/docfuzz.py" "$WORK/fuzz$seed" "$seed" 300 || fail "docfuzz.py failed"
  compile_native "$WORK/fuzz$seed/docfuzz.c" "$WORK/fuzz$seed/docfuzz.o" -ffunction-sections
  run_gotramp "$WORK/fuzz$seed/gen" generate --header "$WORK/fuzz$seed/docfuzz.h" \
    --object "$WORK/fuzz$seed/docfuzz.o" --package "fuzz$seed" --out "$WORK/mod/fuzz$seed"
  expect_ok "$WORK/fuzz$seed/gen" "generate random doc comments (seed $seed)"
  if [ -n "$(gofmt -l "$WORK/mod/fuzz$seed")" ]; then
    gofmt -d "$WORK/mod/fuzz$seed" >&2
    fail "seed $seed: gofmt would rewrite the doc comments above (tests/e2e/testdata/hostile/docfuzz.py $seed 300)"
  fi
  (cd "$WORK/mod/fuzz$seed" && CGO_ENABLED=0 go vet . && CGO_ENABLED=0 go build .) ||
    fail "seed $seed: the package does not vet or build"
done

step "5. --package names the go tool would ignore, cannot import or cannot parse are errors"
# Inputs that generate fine with any valid name: only the name is wrong.
compile_native "$H/enums.c" "$WORK/pkgok.o"
# pkg|text the error must contain|suggested name
for entry in "_|files whose names start with '_'|lib" "_hidden|files whose names start with '_'|hidden" \
  "main|cannot be imported|mainlib" "1abc|not a valid Go package name|abc" \
  "a-b|not a valid Go package name|ab" "café|ASCII letters|caf" "func|Go keyword|funclib" \
  "with space|not a valid Go package name|withspace"; do
  IFS='|' read -r pkg text suggestion <<<"$entry"
  run_gotramp "$WORK/pkg" generate --header "$H/enums.h" --object "$WORK/pkgok.o" \
    --package "$pkg" --out "$WORK/pkg-out"
  expect_error "$WORK/pkg" "--package '$pkg'"
  expect_in "$WORK/pkg.err" "--package '$pkg'" "--package '$pkg' (or the config's \"package\")" \
    "$text" "use, e.g., --package $suggestion"
  [ ! -e "$WORK/pkg-out" ] || fail "--package '$pkg' failed but created the output directory"
done
# Predeclared identifiers and the names of the packages the generated files
# import are not in scope of a package clause: such packages build.
for pkg in int string unsafe structs shim testing; do
  run_gotramp "$WORK/pkg$pkg" generate --header "$H/enums.h" --object "$WORK/pkgok.o" \
    --package "$pkg" --out "$WORK/mod/pkg$pkg"
  expect_ok "$WORK/pkg$pkg" "--package $pkg"
  printf 'package %s\n\nimport "testing"\n\nfunc TestWide(t *testing.T) {\n\tif WideId(WIDE_MIN) != WIDE_MIN {\n\t\tt.Fatal("WideId")\n\t}\n}\n' \
    "$pkg" >"$WORK/mod/pkg$pkg/x_test.go"
  (cd "$WORK/mod/pkg$pkg" && [ -z "$(gofmt -l .)" ] && CGO_ENABLED=0 go vet . &&
    CGO_ENABLED=0 go test -count=1 .) || fail "package $pkg does not vet or run"
done

step "6. non-ASCII C identifiers: the function is skipped with its line, the rest is generated"
compile_both "$H/unicode.c" unicode
cd "$E2E"
UNI_H=testdata/hostile/unicode.h # as passed on the command line, so as printed
run_gotramp "$WORK/uni" generate --header "$UNI_H" $(both_objects unicode) --package unitest \
  --out "$WORK/mod/unitest"
expect_ok "$WORK/uni" "generate with non-ASCII identifiers"
expect_in "$WORK/uni.err" "non-ASCII skips" \
  "$UNI_H:$(location "$UNI_H" café): warning: skipping 'café': its symbol 'café' is not ASCII" \
  "give it an ASCII one: int café(int x) __asm__(\"caf_\")" \
  "$UNI_H:$(location "$UNI_H" crème): warning: skipping 'crème': its Go name 'Crème' is not ASCII" \
  '"renames": {"crème": "Cr_me"}' \
  "$UNI_H:$(location "$UNI_H" a·b): warning: skipping 'a·b': its symbol 'a·b' is not ASCII" \
  "unitest: 3 function(s) bound, 3 skipped, for linux/amd64 linux/arm64"
cat >"$WORK/mod/unitest/uni_test.go" <<'GO'
package unitest

import "testing"

func TestRest(t *testing.T) {
	if got := UnicodeParams(1, 10, 100); got != 321 {
		t.Errorf("UnicodeParams(1, 10, 100) = %d, want 321", got)
	}
	r := UnicodeRec{Naïve: 5, Plain: 7}
	if got := UnicodeRecSum(&r); got != 19 {
		t.Errorf("UnicodeRecSum = %d, want 19", got)
	}
	if got := UnicodePlain(1); got != 5 {
		t.Errorf("UnicodePlain(1) = %d, want 5", got)
	}
}
GO
check_package "$WORK/mod/unitest"

step "6. following the suggestions (an ASCII symbol, a rename) binds them"
mkdir -p "$WORK/unifix"
sed 's/int café(int x);/int café(int x) __asm__("caf_");/' "$H/unicode.h" >"$WORK/unifix/unicode.h"
cp "$H/unicode.c" "$WORK/unifix/unicode.c"
compile_both "$WORK/unifix/unicode.c" unifix
printf '{"renames": {"café": "Cafe", "crème": "Creme"}, "functions": {"exclude": ["^a·b$"]}}\n' \
  >"$WORK/unifix/gotramp.json"
run_gotramp "$WORK/unifixgen" generate --config "$WORK/unifix/gotramp.json" \
  --header "$WORK/unifix/unicode.h" $(both_objects unifix) --package unifix --out "$WORK/mod/unifix"
expect_ok "$WORK/unifixgen" "generate with the suggestions applied"
expect_not_in "$WORK/unifixgen.err" "the suggestions applied" "skipping"
cat >"$WORK/mod/unifix/fix_test.go" <<'GO'
package unifix

import "testing"

func TestRenamed(t *testing.T) {
	if got := Cafe(1); got != 2 {
		t.Errorf("Cafe(1) = %d, want 2", got)
	}
	if got := Creme(1); got != 3 {
		t.Errorf("Creme(1) = %d, want 3", got)
	}
}
GO
check_package "$WORK/mod/unifix"

step "6. a symbol that is not even UTF-8 (an __asm__ label): skipped, the report and --dump-ir still valid JSON"
compile_native "$H/badsym.c" "$WORK/badsym.o"
run_gotramp "$WORK/badsym" generate --header "$H/badsym.h" --object "$WORK/badsym.o" \
  --package badsym --out "$WORK/mod/badsym"
expect_ok "$WORK/badsym" "generate with a non-UTF-8 symbol"
expect_in "$WORK/badsym.err" "non-UTF-8 symbol" "skipping 'bad_symbol': its symbol 'caf" \
  "badsym: 1 function(s) bound, 1 skipped"
[ "$(json "$WORK/mod/badsym/gotramp-report.json" 'r["skipped"][0]["c_name"]')" = bad_symbol ] ||
  fail "the report does not list bad_symbol as skipped"
run_gotramp "$WORK/badsymir" generate --dump-ir --header "$H/badsym.h" --object "$WORK/badsym.o"
expect_ok "$WORK/badsymir" "--dump-ir with a non-UTF-8 symbol"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$WORK/badsymir.out" ||
  fail "--dump-ir did not print valid JSON"
(cd "$WORK/mod/badsym" && [ -z "$(gofmt -l .)" ] && CGO_ENABLED=0 go vet . && go build .) ||
  fail "the package without bad_symbol does not build"

echo "PASS"
