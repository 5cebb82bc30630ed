#!/bin/sh
# Regenerates examples/mathlib/mathlib from native/mathlib.{h,c}: the same two
# steps as the go:generate lines in mathlib/generate.go.
#
#   GOTRAMP=path/to/gotramp CLANG=path/to/clang examples/mathlib/generate.sh
#
# Writes mathlib.go, mathlib_linux_{amd64,arm64}.{s,syso} and
# gotramp-report.json in examples/mathlib/mathlib; the other files there are
# hand-written. Pass --check to verify the committed files instead.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
GOTRAMP=${GOTRAMP:-gotramp}
sh "$here/native/build.sh"
"$GOTRAMP" generate --config "$here/mathlib/gotramp.json" "$@"
