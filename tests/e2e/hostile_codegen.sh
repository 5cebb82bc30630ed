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

echo "PASS"
