#!/usr/bin/env bash
# Golden tests: for each tests/golden/cases/<case>/ compile input.c, run
# `gotramp generate` on input.h, and compare the .go, .s, report and
# diagnostics with expected/*.golden. Each generated package must also pass
# gofmt and go vet (asmdecl checks every frame offset).
#
#   tests/golden/run.sh GOTRAMP CLANG
#   GOTRAMP_UPDATE_GOLDEN=1 tests/golden/run.sh GOTRAMP CLANG   # accept new output
set -euo pipefail

gotramp=$(realpath "$1")
clang=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
for dir in tests/golden/cases/*/; do
  name=$(basename "$dir")
  out="$work/$name"
  mkdir -p "$out/pkg"
  "$clang" -O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables \
    -fno-builtin --target=x86_64-linux-gnu -c "$dir/input.c" -o "$out/input.o"
  config=()
  [ -f "$dir/config.json" ] && config=(--config "${dir}config.json")
  status=0
  "$gotramp" generate "${config[@]}" --header "${dir}input.h" --object "$out/input.o" --package "$name" \
    --out "$out/pkg" 2>"$out/stderr" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL $name: gotramp exited $status"; cat "$out/stderr"; failed=1; continue
  fi
  # The object's temporary path is the only run-dependent text in stderr.
  sed -i "s|$work|WORK|g" "$out/stderr"
  cp "$out/stderr" "$out/pkg/stderr"
  for file in "$name.go" "${name}_linux_amd64.s" gotramp-report.json stderr; do
    golden="$dir/expected/$file.golden"
    if [ "${GOTRAMP_UPDATE_GOLDEN:-}" = 1 ]; then
      mkdir -p "$dir/expected"; cp "$out/pkg/$file" "$golden"; continue
    fi
    if ! diff -u "$golden" "$out/pkg/$file" > "$out/diff"; then
      echo "FAIL $name: $file differs from $golden:"; cat "$out/diff"
      echo "(if the change is intended: GOTRAMP_UPDATE_GOLDEN=1 $0 $*)"
      failed=1
    fi
  done
  rm "$out/pkg/stderr"
  if [ -n "$(gofmt -l "$out/pkg")" ]; then
    echo "FAIL $name: gofmt would change:"; gofmt -d "$out/pkg"; failed=1
  fi
  printf 'module golden/%s\n\ngo 1.23\n' "$name" > "$out/pkg/go.mod"
  if ! (cd "$out/pkg" && GOFLAGS=-mod=mod go vet ./... 2>&1); then
    echo "FAIL $name: go vet"; failed=1
  fi
  [ "$failed" = 0 ] && echo "ok   $name"
done
exit $failed
