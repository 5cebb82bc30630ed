#!/usr/bin/env bash
# e2e.user_project: a user's own Go module, outside the repository, built the
# way README.md ("Use it in your own project") says, with the installed
# gotramp: `cmake --install`, a small C library compiled for linux/amd64 and
# linux/arm64, `gotramp generate`, the `go mod edit` command generate prints
# run exactly as printed, then go vet, a static CGO_ENABLED=0 build and the
# package's tests on both targets (arm64 under qemu-aarch64-static). The
# README's command blocks are snippets of this file (tests/readme_snippets.py).
#
#   bash user_project.sh GOTRAMP CLANG SOURCE_DIR BUILD_DIR
source "$(dirname "$0")/lib.sh"
[ $# -ge 4 ] || fail "usage: $0 GOTRAMP CLANG SOURCE_DIR BUILD_DIR"
BUILD_DIR=$(realpath "$4")
DATA=$TESTDATA/userlib
command -v qemu-aarch64-static >/dev/null || fail "qemu-aarch64-static is not on PATH"
WORK=$(realpath "$WORK")
PREFIX=$WORK/prefix

# The README's command blocks below are bare commands (no `|| fail`): one that
# fails ends the test through set -e, and this trap says which, with the
# stderr of the block it ran in (LOG) when that was redirected.
set -o errtrace
exec 9>&2
LOG=
trap 'rc=$?; { [ -z "$LOG" ] || cat "$LOG"; echo "FAIL: exit status $rc from: $BASH_COMMAND"; } >&9' ERR

step "cmake --install $BUILD_DIR --prefix \$WORK/prefix"
cmake --install "$BUILD_DIR" --prefix "$PREFIX" >"$WORK/install.log" 2>&1 ||
  { cat "$WORK/install.log"; fail "cmake --install"; }
SHIM_COPY=$PREFIX/share/gotramp/go
[ -x "$PREFIX/bin/gotramp" ] || fail "no bin/gotramp in the install prefix"
[ -f "$SHIM_COPY/go.mod" ] || fail "no share/gotramp/go/go.mod in the install prefix"
for f in shim.go shim_amd64.s shim_arm64.s fault.go; do
  [ -f "$SHIM_COPY/shim/$f" ] || fail "share/gotramp/go/shim/$f is not installed"
done
if ls "$SHIM_COPY/shim/"*_test.go >/dev/null 2>&1; then
  fail "tests of the shim were installed: $(ls "$SHIM_COPY/shim/"*_test.go)"
fi
grep -qx "module $SHIM_MODULE" "$SHIM_COPY/go.mod" || fail "the installed go.mod is not $SHIM_MODULE"
if grep -q '^require' "$SHIM_COPY/go.mod"; then
  fail "the runtime module must need nothing but the standard library"
fi

# The user's shell: the installed gotramp and clang-19 on PATH, nothing else
# of this checkout.
mkdir -p "$WORK/tools"
ln -s "$(realpath "$CLANG")" "$WORK/tools/clang-19"
export PATH=$PREFIX/bin:$WORK/tools:$PATH
[ "$(command -v gotramp)" = "$PREFIX/bin/gotramp" ] || fail "PATH does not find the installed gotramp"
GOTRAMP=$PREFIX/bin/gotramp # for run_gotramp too
unset GOFLAGS

step "a new module, example.com/userlib, with a small C library"
PROJECT=$WORK/userlib
mkdir -p "$PROJECT/native" "$PROJECT/cmd"
cp "$DATA/native/userlib.c" "$DATA/native/userlib.h" "$DATA/native/gotramp.json" "$PROJECT/native/"
cp -R "$DATA/cmd/demo" "$PROJECT/cmd/"
cd "$PROJECT"
go mod init example.com/userlib >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log"; fail "go mod init"; }

step "compile for both targets and generate with the installed gotramp (README commands)"
LOG=$WORK/gen1.err
{
clang-19 -O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
  -ffunction-sections -fdata-sections --target=x86_64-linux-gnu -c native/userlib.c -o native/userlib_amd64.o
clang-19 -O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin \
  -ffunction-sections -fdata-sections --target=aarch64-linux-gnu -ffixed-x28 -c native/userlib.c -o native/userlib_arm64.o
gotramp generate --config native/gotramp.json --header native/userlib.h --package userlib --out userlib \
  --target linux/amd64 --target linux/arm64 \
  --object linux/amd64=native/userlib_amd64.o --object linux/arm64=native/userlib_arm64.o
} 2>"$LOG"
LOG=
cat "$WORK/gen1.err"
expect_in "$WORK/gen1.err" "first generate" "userlib: 4 function(s) bound, 0 skipped" \
  "gotramp: warning: the generated package imports $SHIM_MODULE/shim, but module example.com/userlib ($PROJECT/go.mod) does not require $SHIM_MODULE"
grep -q 'import _ "github.com/gotramp/gotramp/runtime-shims/go/shim"' userlib/userlib.go ||
  fail "the blocking function did not make the package import the shim"

step "--check prints no warning about the module"
run_gotramp "$WORK/check" generate --check --config native/gotramp.json --header native/userlib.h \
  --package userlib --out userlib --target linux/amd64 --target linux/arm64 \
  --object linux/amd64=native/userlib_amd64.o --object linux/arm64=native/userlib_arm64.o
expect_ok "$WORK/check" "generate --check on fresh output"
expect_not_in "$WORK/check.err" "generate --check" "go mod edit" "warning"

step "before the fix, go build fails the way the warning says"
if CGO_ENABLED=0 go build ./... >"$WORK/build0.log" 2>&1; then
  fail "go build succeeded in a module that does not require $SHIM_MODULE"
fi
expect_in "$WORK/build0.log" "go build before the fix" "no required module provides package $SHIM_MODULE/shim"

step "run the printed go mod edit command exactly as printed"
fix=$(sed -n 's/^gotramp: warning:   //p' "$WORK/gen1.err" | grep -F ' go mod edit ' || true)
[ "$(printf '%s\n' "$fix" | grep -c .)" = 1 ] || fail "expected one go mod edit line, got: '$fix'"
echo "$fix"
case $fix in
*"-replace=$SHIM_MODULE=$SHIM_COPY") ;;
*) fail "the command does not replace the module with the installed copy $SHIM_COPY" ;;
esac
(cd / && bash -c "$fix") || fail "the printed command failed: $fix"
expect_in go.mod "go.mod after the fix" "require $SHIM_MODULE v0.1.0" "replace $SHIM_MODULE => $SHIM_COPY"

step "generate again: no warning"
LOG=$WORK/gen2.err
{
gotramp generate --config native/gotramp.json --header native/userlib.h --package userlib --out userlib \
  --target linux/amd64 --target linux/arm64 \
  --object linux/amd64=native/userlib_amd64.o --object linux/arm64=native/userlib_arm64.o
} 2>"$LOG"
LOG=
expect_not_in "$WORK/gen2.err" "generate after the fix" "warning" "go mod edit"

step "go vet, a static build and the package's tests on both targets (README commands)"
cp "$DATA/userlib_test.go" userlib/
go vet ./...
GOARCH=arm64 go vet ./...
CGO_ENABLED=0 go build ./...
go test ./userlib
GOARCH=arm64 go test -exec qemu-aarch64-static ./userlib
# The steps above run with the go command's defaults (go.mod read-only), as
# a user runs them; with GOFLAGS=-mod=mod too, as the other e2e tests do.
GOFLAGS=-mod=mod go vet ./...
[ -z "$(gofmt -l userlib)" ] || fail "gofmt -l lists: $(gofmt -l userlib)"

step "the static demo program prints the right results on both targets"
want='add 42
fnv1a 0x53215a61
norm2 25
collatz 59542'
CGO_ENABLED=0 go build -o "$WORK/demo-amd64" ./cmd/demo || fail "cannot build the demo"
is_static "$WORK/demo-amd64" || fail "the CGO_ENABLED=0 demo is not statically linked"
got=$("$WORK/demo-amd64") || fail "the amd64 demo exited with status $?"
[ "$got" = "$want" ] || fail "the amd64 demo printed '$got', want '$want'"
CGO_ENABLED=0 GOARCH=arm64 go build -o "$WORK/demo-arm64" ./cmd/demo || fail "cannot build the arm64 demo"
got=$(qemu-aarch64-static "$WORK/demo-arm64") || fail "the arm64 demo exited with status $?"
[ "$got" = "$want" ] || fail "the arm64 demo printed '$got', want '$want'"

step "outside any module, the warning says to create one first"
dir=$WORK
while [ "$dir" != / ] && [ ! -f "$dir/go.mod" ]; do dir=$(dirname "$dir"); done
if [ -f "$dir/go.mod" ]; then
  echo "skipped: $WORK is inside the module of $dir/go.mod"
else
  run_gotramp "$WORK/loose" generate --header native/userlib.h --package userlib \
    --out "$WORK/loose/userlib" --object native/userlib_amd64.o
  expect_ok "$WORK/loose" "generate outside a module"
  expect_in "$WORK/loose.err" "generate outside a module" "$WORK/loose/userlib is in no Go module" \
    "gotramp: warning:   cd $WORK/loose/userlib && go mod init MODULE && go mod edit -require=$SHIM_MODULE@v0.1.0 -replace=$SHIM_MODULE=$SHIM_COPY"
fi
echo PASS
