#!/usr/bin/env bash
# e2e.dynamic_glue: native code with writable data (.data counter reached
# through the GOT, .bss buffer) is a static blob whose data the package's init
# relocates (e2e.relocated_data covers that in depth); native code with data
# in a section of its own cannot be one: the packer keeps its relocations and
# writes the dynamic-import glue, and the state works from Go under
# CGO_ENABLED=0 either way. An absolute address in code is an error naming
# the function. Regenerating from code without data removes the stale glue.
source "$(dirname "$0")/lib.sh"

HEADER=$TESTDATA/glue.h
GLUE=gluetest_dynimport_linux_amd64.go
compile_native "$TESTDATA/glue_data.c" "$WORK/glue_data.o"
compile_native "$TESTDATA/glue_abs.c" "$WORK/glue_abs.o"
compile_native "$TESTDATA/glue_section.c" "$WORK/glue_section.o"
compile_native "$TESTDATA/glue_pure.c" "$WORK/glue_pure.o"
readelf -rW "$WORK/glue_abs.o" | grep -c 'R_X86_64_64 .*glue_counter' >/dev/null ||
  fail "precondition: glue_abs.o has no absolute address of glue_counter"
new_module "$WORK/mod" e2e.test/glue
OUT=$WORK/mod/gluetest
REPORT=$OUT/gotramp-report.json

step "native code with writable data is a static blob relocated at init"
run_gotramp "$WORK/data" generate --header "$HEADER" --object "$WORK/glue_data.o" \
  --package gluetest --out "$OUT"
expect_ok "$WORK/data" "generate with writable data"
expect_not_in "$WORK/data.err" "generate with writable data" "$GLUE"
[ ! -e "$OUT/$GLUE" ] || fail "$GLUE was written for code whose data the blob can carry"
packing=$(json "$REPORT" 'r["targets"]["linux/amd64"]["packing"]')
[ "$packing" = "static blob: pre-linked, no relocations left" ] ||
  fail "report: targets.linux/amd64.packing is '$packing'"
sections=$(json "$REPORT" '" ".join(sorted(r["targets"]["linux/amd64"]["relocated_at_init"]["sections"]))')
[ "$sections" = ".bss .data" ] || fail "report: relocated sections are '$sections', want .bss and .data"

step "an absolute address in code is an error naming the function"
run_gotramp "$WORK/abs" generate --header "$HEADER" --object "$WORK/glue_abs.o" \
  --package gluetest --out "$WORK/abs-out"
expect_error "$WORK/abs" "absolute address in code"
expect_in "$WORK/abs.err" "absolute address in code" "absolute addresses in code" "glue_next+0x" "-fPIC"

step "generate from native code with data in a section of its own"
run_gotramp "$WORK/gen" generate --header "$HEADER" --object "$WORK/glue_section.o" \
  --package gluetest --out "$OUT"
expect_ok "$WORK/gen" "generate with a writable section of its own"
expect_in "$WORK/gen.err" "note about the fallback" "writable data outside .data and .bss (glue_state" "$GLUE"
[ -f "$OUT/$GLUE" ] || fail "$GLUE was not written"
expect_generated_header "$OUT/$GLUE"
expect_in "$OUT/$GLUE" "glue file" '//go:cgo_import_dynamic'
packing=$(json "$REPORT" 'r["targets"]["linux/amd64"]["packing"]')
[ "$packing" = "relocatable with dynamic-import glue" ] ||
  fail "report: targets.linux/amd64.packing is '$packing'"
[ "$(json "$REPORT" 'r["targets"]["linux/amd64"].get("glue")')" = "$GLUE" ] ||
  fail "report: targets.linux/amd64.glue does not name $GLUE"
data_bytes=$(json "$REPORT" 'r["targets"]["linux/amd64"]["data_bytes"]')
[ "$data_bytes" -ge 8200 ] || fail "report: data_bytes $data_bytes < 8200 (8-byte counter + 8 KiB buffer)"

cat >"$OUT/glue_test.go" <<'EOF'
package gluetest

import "testing"

func TestState(t *testing.T) {
	// glue_counter starts at 100 (.data): the initial value must be there too.
	for want := int64(101); want <= 105; want++ {
		if got := GlueNext(); got != want {
			t.Fatalf("GlueNext() = %d, want %d", got, want)
		}
	}
	if got := GlueSum(); got != 0 {
		t.Fatalf("GlueSum() of the zeroed .bss buffer = %d, want 0", got)
	}
	GluePut(3, 200)
	GluePut(8192+5, 55) // wraps to index 5
	GluePut(8191, 1)
	if got := GlueSum(); got != 256 {
		t.Fatalf("GlueSum() = %d, want 256", got)
	}
}
EOF
unformatted=$(gofmt -l "$OUT")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"
cd "$WORK/mod"
step "go vet, and the counter/buffer test under CGO_ENABLED=0"
CGO_ENABLED=0 go vet ./... || fail "go vet fails on the glue package"
CGO_ENABLED=0 go test -c -o "$WORK/data.test" ./gluetest || fail "cannot build the glue package's test"
# The glue is what makes cmd/link apply the relocations (golang/go#24321).
! is_static "$WORK/data.test" || fail "the glue did not make the CGO_ENABLED=0 test binary dynamic"
"$WORK/data.test" -test.count=1 -test.v || fail "the glue package's test failed"
# The kept relocations (GOTPCRELX, PC32 against .bss) in the other link modes.
CGO_ENABLED=1 go test -count=1 ./gluetest || fail "the glue package's test fails with CGO_ENABLED=1"
CGO_ENABLED=1 go test -count=1 -ldflags=-linkmode=external ./gluetest ||
  fail "the glue package's test fails with -ldflags=-linkmode=external"
go test -count=1 -buildmode=pie ./gluetest || fail "the glue package's test fails with -buildmode=pie"

step "the static blob with data: the same test, a static binary"
run_gotramp "$WORK/data2" generate --header "$HEADER" --object "$WORK/glue_data.o" \
  --package gluetest --out "$OUT"
expect_ok "$WORK/data2" "regenerate with writable data"
[ ! -e "$OUT/$GLUE" ] || fail "the stale $GLUE was not removed"
CGO_ENABLED=0 go vet ./... || fail "go vet fails on the relocated package"
CGO_ENABLED=0 go test -c -o "$WORK/reloc.test" ./gluetest || fail "cannot build the relocated package's test"
is_static "$WORK/reloc.test" || fail "the CGO_ENABLED=0 test binary of the relocated package is not static"
"$WORK/reloc.test" -test.count=1 -test.v || fail "the relocated package's test failed"

step "regenerate into the same directory from native code without writable data"
run_gotramp "$WORK/regen" generate --header "$HEADER" --object "$WORK/glue_pure.o" \
  --package gluetest --out "$OUT"
expect_ok "$WORK/regen" "regenerate without writable data"
[ ! -e "$OUT/$GLUE" ] || fail "the stale $GLUE was not removed"
for f in gluetest.go gluetest_linux_amd64.s gluetest_linux_amd64.syso gotramp-report.json glue_test.go; do
  [ -f "$OUT/$f" ] || fail "$f is missing after regenerating"
done
packing=$(json "$REPORT" 'r["targets"]["linux/amd64"]["packing"]')
[ "$packing" = "static blob: pre-linked, no relocations left" ] ||
  fail "report after regenerating: targets.linux/amd64.packing is '$packing'"
[ "$(json "$REPORT" '"glue" in r["targets"]["linux/amd64"]')" = "false" ] ||
  fail "report after regenerating still names a glue file"
[ "$(json "$REPORT" 'r["targets"]["linux/amd64"]["data_bytes"]')" = 0 ] ||
  fail "report after regenerating: data_bytes is not 0"
expect_not_in "$OUT/gluetest.go" "regenerated Go file" 'cgo_import_dynamic'

cat >"$OUT/glue_test.go" <<'EOF'
package gluetest

import "testing"

func TestPure(t *testing.T) {
	GluePut(3, 200)
	if got := GlueNext(); got != 7 {
		t.Fatalf("GlueNext() = %d, want 7", got)
	}
	if got := GlueSum(); got != 0 {
		t.Fatalf("GlueSum() = %d, want 0", got)
	}
}
EOF
CGO_ENABLED=0 go vet ./... || fail "go vet fails on the regenerated package"
CGO_ENABLED=0 go test -c -o "$WORK/pure.test" ./gluetest || fail "cannot build the regenerated package's test"
is_static "$WORK/pure.test" || fail "without writable data the CGO_ENABLED=0 test binary should be static"
"$WORK/pure.test" -test.count=1 -test.v || fail "the regenerated package's test failed"
echo "PASS"
