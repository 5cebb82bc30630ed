#!/usr/bin/env bash
# find_package(gotramp) + gotramp_add_go_package on examples/cmake-fnv: the
# build regenerates the committed Go package byte for byte, the package passes
# its tests, and editing the header makes the build regenerate it.
#   bash cmake_package.sh GOTRAMP CLANG SOURCE_DIR BUILD_DIR
source "$(dirname "$0")/lib.sh"
BUILD_DIR=$(realpath "$4")
[ -f "$BUILD_DIR/gotrampConfig.cmake" ] || fail "no gotrampConfig.cmake in $BUILD_DIR"

step "configure and build the example against this build of gotramp"
mod=$WORK/mod
mkdir -p "$mod/examples"
# A copy of the root module as far as the example needs: generated packages
# import runtime-shims/go/shim, a module of its own that the root replaces.
printf 'module github.com/gotramp/gotramp\n\ngo 1.23\n\nrequire %s v0.1.0\n\nreplace %s => ./runtime-shims/go\n' \
  "$SHIM_MODULE" "$SHIM_MODULE" >"$mod/go.mod"
cp -r "$SRC/examples/cmake-fnv" "$mod/examples/"
mkdir -p "$mod/runtime-shims"
cp -r "$SRC/runtime-shims/go" "$mod/runtime-shims/go"
rm -f "$mod/examples/cmake-fnv/fnv/"{fnv.go,fnv_linux_amd64.s,fnv_linux_amd64.syso,fnv_symbols_linux_amd64.go,gotramp-report.json}
cmake -S "$mod/examples/cmake-fnv" -B "$WORK/build" -G Ninja -DCMAKE_C_COMPILER="$CLANG" \
  -Dgotramp_DIR="$BUILD_DIR" >"$WORK/configure.log" 2>&1 || { cat "$WORK/configure.log"; fail "cmake configure"; }
ninja -C "$WORK/build" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; fail "ninja build"; }

step "the generated package equals the committed one"
if ! diff -ru "$SRC/examples/cmake-fnv/fnv" "$mod/examples/cmake-fnv/fnv"; then
  fail "examples/cmake-fnv/fnv is stale: rebuild examples/cmake-fnv (see its CMakeLists.txt) and commit"
fi

step "go vet and go test"
(cd "$mod" && go vet ./examples/cmake-fnv/... && CGO_ENABLED=0 go test -count=1 ./examples/cmake-fnv/...) ||
  fail "go vet / go test of the CMake-generated package"

step "a second build does nothing; a header edit regenerates"
# Output goes to files first: `ninja | grep -q` would kill ninja with SIGPIPE.
ninja -C "$WORK/build" >"$WORK/rebuild.log"
grep -q "no work to do" "$WORK/rebuild.log" || { cat "$WORK/rebuild.log"; fail "an up-to-date build ran steps again"; }
touch "$mod/examples/cmake-fnv/native/fnv.h"
ninja -C "$WORK/build" >"$WORK/rebuild.log"
grep -q "gotramp: generating Go package fnv" "$WORK/rebuild.log" ||
  { cat "$WORK/rebuild.log"; fail "editing the header did not regenerate the Go package"; }
