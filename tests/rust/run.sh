#!/bin/bash
# Rust through the DWARF frontend, end to end on linux/amd64:
#   runtime-shims/rust/cargo-gotramp.sh (cargo build with the flags gotramp
#   needs, then gotramp generate without a header) -> go vet -> go test.
#   run.sh GOTRAMP WORKDIR
set -euo pipefail
gotramp=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
# The cargo build hook builds the staticlib with the flags gotramp needs and
# runs gotramp with no header: the signatures come from DWARF.
GOTRAMP=$gotramp CARGO_TARGET_DIR="$work/target" \
	sh "$here/../../runtime-shims/rust/cargo-gotramp.sh" --manifest-path "$here/ffi/Cargo.toml" \
	--lib rustffi --package rustffi --out "$work/rustffi" 2>"$work/warnings.txt" || {
	cat "$work/warnings.txt" >&2
	echo "FAIL: cargo-gotramp.sh" >&2
	exit 1
}
pkg="$work/rustffi"
cat "$work/warnings.txt"
# Every non-FFI-safe function is skipped with the Rust file and line.
for fn_line in rs_bad_slice:118 rs_bad_char:123 rs_bad_tuple:128 rs_bad_enum:138 rs_bad_u128:146; do
	fn=${fn_line%%:*}
	line=${fn_line#*:}
	grep -q "ffi/src/lib.rs:$line: warning: skipping '$fn'" "$work/warnings.txt" ||
		{ echo "FAIL: no skip warning for $fn at lib.rs:$line" >&2; exit 1; }
done
if grep -q "skipping '__" "$work/warnings.txt"; then
	echo "FAIL: the Rust sysroot's functions were considered" >&2
	exit 1
fi
cp "$here/testdata/go/rustffi_test.go" "$pkg/"
printf 'module gotramp.test/rustffi\n\ngo 1.23\n' >"$pkg/go.mod"
cd "$pkg"
test -z "$(gofmt -l .)" || { gofmt -l .; echo "FAIL: gofmt" >&2; exit 1; }
CGO_ENABLED=0 go vet ./...
CGO_ENABLED=0 go test -count=1 ./...
