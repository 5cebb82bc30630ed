#!/usr/bin/env bash
# The main job: install, build gotramp, generate the bindings of the bundled
# example (examples/mathlib) and run its demo, which calls every native
# function, checks each result, and compares the cost of a call with cgo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" gotramp >/dev/null
GOTRAMP="$root/build/bin/gotramp" CLANG=/usr/lib/llvm-19/bin/clang \
  "$root/examples/mathlib/generate.sh"
cd "$root"
go run ./examples/mathlib/cmd/demo
