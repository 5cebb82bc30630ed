#!/bin/bash
# Rust through the DWARF frontend, end to end on linux/amd64 and linux/arm64:
#   runtime-shims/rust/cargo-gotramp.sh (cargo build for both targets with the
#   flags gotramp needs, then gotramp generate without a header) -> go vet ->
#   go test natively (amd64) and under qemu-aarch64-static (arm64).
#   run.sh GOTRAMP WORKDIR
set -euo pipefail
gotramp=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
mkdir -p "$work"
# The cargo build hook builds the staticlib with the flags gotramp needs and
# runs gotramp with no header: the signatures come from DWARF.
GOTRAMP=$gotramp CARGO_TARGET_DIR="$work/target" \
	sh "$here/../../runtime-shims/rust/cargo-gotramp.sh" --manifest-path "$here/ffi/Cargo.toml" \
	--lib rustffi --package rustffi --out "$work/rustffi" \
	--target linux/amd64 --target linux/arm64 2>"$work/warnings.txt" || {
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
cp "$here/testdata/go/rustffi_test.go" "$here/testdata/go/rustffi_slices_test.go" "$pkg/"
# Generated packages import runtime-shims/go/shim (crash reports).
printf 'module gotramp.test/rustffi\n\ngo 1.23\n\nrequire github.com/gotramp/gotramp/runtime-shims/go v0.1.0\nreplace github.com/gotramp/gotramp/runtime-shims/go => %s/runtime-shims/go\n' \
  "$(cd "$here/../.." && pwd)" >"$pkg/go.mod"
for f in rustffi_linux_amd64.syso rustffi_linux_arm64.syso rustffi_linux_amd64.s rustffi_linux_arm64.s; do
	[ -f "$pkg/$f" ] || { echo "FAIL: the hook did not write $f" >&2; exit 1; }
done
cd "$pkg"
test -z "$(gofmt -l .)" || { gofmt -l .; echo "FAIL: gofmt" >&2; exit 1; }
echo "== linux/amd64"
CGO_ENABLED=0 go vet ./...
CGO_ENABLED=0 go test -count=1 ./...
echo "== linux/arm64 (qemu-aarch64-static)"
CGO_ENABLED=0 GOARCH=arm64 go vet ./...
command -v qemu-aarch64-static >/dev/null ||
	{ echo "FAIL: qemu-aarch64-static is not installed (Debian: qemu-user-static; scripts/install-deps.sh)" >&2; exit 1; }
# -L: the dynamic loader and libc.so.6 for a .syso packed with dynamic-import glue.
CGO_ENABLED=0 GOARCH=arm64 go test -count=1 -exec "qemu-aarch64-static -L /usr/aarch64-linux-gnu" ./...
