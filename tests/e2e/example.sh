#!/usr/bin/env bash
# e2e.example: the committed examples/mathlib is what the current generator
# writes, the output is reproducible and clean, and the package works under
# every Go link mode, including a fully static CGO_ENABLED=0 binary.
source "$(dirname "$0")/lib.sh"

EXAMPLE=$SRC/examples/mathlib
GENERATED=(mathlib.go mathlib_linux_amd64.s mathlib_linux_amd64.syso mathlib_linux_arm64.s mathlib_linux_arm64.syso
  mathlib_symbols_linux_amd64.go mathlib_symbols_linux_arm64.go gotramp-report.json)

# regenerate ROOT: copies examples/mathlib to ROOT/examples/mathlib, deletes
# the generated files from the copy and runs the copy's generate.sh, which
# works relative to ROOT exactly as it does in the repository.
regenerate() {
  local root=$1 f
  mkdir -p "$root/examples"
  cp -R "$EXAMPLE" "$root/examples/mathlib"
  for f in "${GENERATED[@]}"; do
    rm -f "$root/examples/mathlib/mathlib/$f"
  done
  if ! GOTRAMP=$GOTRAMP CLANG=$CLANG sh "$root/examples/mathlib/generate.sh" >"$root.log" 2>&1; then
    cat "$root.log" >&2
    fail "examples/mathlib/generate.sh failed"
  fi
}

step "regenerate examples/mathlib into a copy and compare with the committed files"
regenerate "$WORK/a"
REGEN=$WORK/a/examples/mathlib/mathlib
for f in "${GENERATED[@]}"; do
  [ -f "$REGEN/$f" ] || fail "generate.sh did not write $f"
done
if ! diff -ru "$EXAMPLE/mathlib" "$REGEN" >"$WORK/diff" 2>&1; then
  cat "$WORK/diff" >&2
  fail "examples/mathlib/mathlib is stale: the generator now writes something else" \
    "(diff committed -> regenerated above); run examples/mathlib/generate.sh and commit" \
    "(GOTRAMP=$GOTRAMP CLANG=$CLANG examples/mathlib/generate.sh)"
fi

step "a second run writes byte-identical files"
regenerate "$WORK/b"
for f in "${GENERATED[@]}"; do
  cmp "$REGEN/$f" "$WORK/b/examples/mathlib/mathlib/$f" ||
    fail "$f differs between two runs of the generator on the same input"
done

step "every generated text file carries the generated-code marker"
for f in "${GENERATED[@]}"; do
  case $f in
  *.go | *.s) expect_generated_header "$REGEN/$f" ;;
  esac
done
marker=$(json "$REGEN/gotramp-report.json" 'r["generated"]')
[ "$marker" = "${GENERATED_HEADER#// }" ] ||
  fail "gotramp-report.json: \"generated\" is '$marker', expected '${GENERATED_HEADER#// }'"

step "gofmt -l"
unformatted=$(gofmt -l "$REGEN" "$EXAMPLE")
[ -z "$unformatted" ] || fail "gofmt -l lists: $unformatted"

cd "$SRC"
step "go vet ./examples/mathlib/..."
CGO_ENABLED=1 go vet ./examples/mathlib/... || fail "go vet ./examples/mathlib/... failed"

step "go test ./examples/mathlib/..."
CGO_ENABLED=1 go test -count=1 ./examples/mathlib/... || fail "go test ./examples/mathlib/... failed"

# Each mode links the .syso differently (ARCHITECTURE.md fact 2): internal
# static, internal with cgo, external (system linker), position-independent.
PKG=./examples/mathlib/mathlib
step "link modes: CGO_ENABLED=0"
CGO_ENABLED=0 go test -count=1 "$PKG" || fail "mathlib tests fail with CGO_ENABLED=0"
step "link modes: CGO_ENABLED=1"
CGO_ENABLED=1 go test -count=1 "$PKG" || fail "mathlib tests fail with CGO_ENABLED=1"
step "link modes: -ldflags=-linkmode=external"
CGO_ENABLED=1 go test -count=1 -ldflags=-linkmode=external "$PKG" ||
  fail "mathlib tests fail with -ldflags=-linkmode=external"
step "link modes: -buildmode=pie"
go test -count=1 -buildmode=pie "$PKG" || fail "mathlib tests fail with -buildmode=pie"

step "a static CGO_ENABLED=0 program calling Fib (recursion: a call relocation) and AddI64"
new_module "$WORK/static" e2e.test/static # requires this checkout
cat >"$WORK/static/main.go" <<'EOF'
package main

import (
	"fmt"
	"math"

	"github.com/gotramp/gotramp/examples/mathlib/mathlib"
)

func main() {
	fmt.Println("fib", mathlib.Fib(0), mathlib.Fib(1), mathlib.Fib(20), mathlib.Fib(30))
	fmt.Println("add", mathlib.AddI64(40, 2), mathlib.AddI64(math.MaxInt64, 1), mathlib.AddI64(-5, 3))
}
EOF
cd "$WORK/static"
CGO_ENABLED=0 go build -o "$WORK/static/prog" . || fail "cannot build the static program"
file "$WORK/static/prog" | grep -c 'statically linked' >/dev/null ||
  fail "the CGO_ENABLED=0 program is not statically linked: $(file "$WORK/static/prog")"
is_static "$WORK/static/prog" || fail "the CGO_ENABLED=0 program has a PT_INTERP program header"
got=$("$WORK/static/prog") || fail "the static program exited with status $?: $got"
want='fib 0 1 6765 832040
add 42 -9223372036854775808 -2'
if [ "$got" != "$want" ]; then
  printf 'got:\n%s\nwant:\n%s\n' "$got" "$want" >&2
  fail "the static program printed wrong results"
fi
echo "PASS"
