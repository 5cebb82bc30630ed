#!/usr/bin/env bash
# Aggregates by value, function-pointer callers and variadic call shapes,
# run for real: generates the golden cases aggregates, records and
# callshapes (tests/golden/cases) for linux/amd64 and linux/arm64, and runs
# their generated layout tests plus the hand-written tests in
# testdata/aggregates natively and under qemu-aarch64-static.
#
#   bash tests/e2e/aggregates.sh GOTRAMP CLANG SOURCE_DIR
source "$(dirname "$0")/lib.sh"
export GOFLAGS=-mod=mod CGO_ENABLED=0
command -v qemu-aarch64-static >/dev/null || fail "qemu-aarch64-static is not on PATH"

# A scratch copy of the module: the generated packages import the shim.
ROOT=$WORK/repo
mkdir -p "$ROOT/runtime-shims" "$ROOT/gen"
cp "$SRC/go.mod" "$SRC/go.sum" "$ROOT/"
cp -R "$SRC/runtime-shims/go" "$ROOT/runtime-shims/go"

flags=(-O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin
  -ffunction-sections)
for name in aggregates records callshapes; do
  dir=$SRC/tests/golden/cases/$name
  step "generate $name for linux/amd64 and linux/arm64"
  "$CLANG" "${flags[@]}" --target=x86_64-linux-gnu -c "$dir/input.c" -o "$WORK/$name-amd64.o"
  "$CLANG" "${flags[@]}" --target=aarch64-linux-gnu -ffixed-x28 -c "$dir/input.c" -o "$WORK/$name-arm64.o"
  config=()
  [ -f "$dir/config.json" ] && config=(--config "$dir/config.json")
  run_gotramp "$WORK/$name" generate "${config[@]}" --header "$dir/input.h" --package "$name" \
    --out "$ROOT/gen/$name" --target linux/amd64 --target linux/arm64 \
    --object "linux/amd64=$WORK/$name-amd64.o" --object "linux/arm64=$WORK/$name-arm64.o"
  [ "$RC" -eq 0 ] || { show "$WORK/$name"; fail "gotramp generate $name exited $RC"; }
  [ -f "$ROOT/gen/$name/${name}_layout_test.go" ] || fail "$name: no generated layout test"
  cp "$TESTDATA/aggregates/${name}_test.go" "$ROOT/gen/$name/"
done

cd "$ROOT"
[ -z "$(gofmt -l gen)" ] || fail "gofmt -l lists: $(gofmt -l gen)"
for arch in amd64 arm64; do
  step "go vet (GOARCH=$arch)"
  GOARCH=$arch go vet ./gen/... || fail "go vet fails for GOARCH=$arch"
done
step "go test (linux/amd64)"
go test -count=1 -v ./gen/... 2>&1 | tee "$WORK/amd64.log" | grep -E '^(=== RUN|--- |ok|FAIL|PASS)' || true
grep -q '^FAIL' "$WORK/amd64.log" && { cat "$WORK/amd64.log"; fail "go test fails on linux/amd64"; }
[ "$(grep -c '^--- PASS: TestCLayout' "$WORK/amd64.log")" -eq 3 ] || fail "TestCLayout did not run in all three packages"
step "go test (linux/arm64 under qemu-aarch64-static)"
GOARCH=arm64 go test -count=1 -v -exec qemu-aarch64-static ./gen/... 2>&1 | tee "$WORK/arm64.log" |
  grep -E '^(=== RUN|--- |ok|FAIL|PASS)' || true
grep -q '^FAIL' "$WORK/arm64.log" && { cat "$WORK/arm64.log"; fail "go test fails on linux/arm64"; }
[ "$(grep -c '^--- PASS: TestCLayout' "$WORK/arm64.log")" -eq 3 ] || fail "TestCLayout did not run in all three packages (arm64)"
echo "PASS: aggregates, records and call shapes on linux/amd64 and linux/arm64"
