#!/usr/bin/env bash
# Golden tests: for each tests/golden/cases/<case>/ compile input.c, run
# `gotramp generate` on input.h, and compare the .go, .s, report and
# diagnostics with expected/*.golden. Each generated package must also pass
# gofmt and go vet (asmdecl checks every frame offset).
#
# A case is generated for linux/amd64 unless its directory has a file
# `targets` listing GOOS/GOARCH pairs (e.g. "linux/amd64 linux/arm64"): then
# input.c is compiled for each, one gotramp run generates them all, every
# target's .s is compared, and go vet runs once per GOARCH.
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

shim_module=github.com/gotramp/gotramp/runtime-shims/go
cflags=(-O2 -fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables -fno-builtin)
failed=0
for dir in tests/golden/cases/*/; do
  name=$(basename "$dir")
  out="$work/$name"
  mkdir -p "$out/pkg"
  targets=()
  # Every whitespace-separated word; read returns 1 at the end of the file.
  [ -f "$dir/targets" ] && { read -r -d '' -a targets < "$dir/targets" || true; }
  config=()
  [ -f "$dir/config.json" ] && config=(--config "${dir}config.json")
  if [ ${#targets[@]} -eq 0 ]; then
    "$clang" "${cflags[@]}" --target=x86_64-linux-gnu -c "$dir/input.c" -o "$out/input.o"
    inputs=(--object "$out/input.o")
    arches=(amd64)
  else
    inputs=()
    arches=()
    for t in "${targets[@]}"; do
      arch=${t#linux/}
      case $arch in
      amd64) triple=(--target=x86_64-linux-gnu) ;;
      arm64) triple=(--target=aarch64-linux-gnu -ffixed-x28) ;;
      *) echo "FAIL $name: unknown target '$t' in ${dir}targets"; failed=1; continue 2 ;;
      esac
      "$clang" "${cflags[@]}" -ffunction-sections "${triple[@]}" -c "$dir/input.c" \
        -o "$out/input_$arch.o"
      inputs+=(--target "$t" --object "$t=$out/input_$arch.o")
      arches+=("$arch")
    done
  fi
  # Blocking and own-stack trampolines and the crash-report symbol table
  # import runtime-shims/go/shim; with the module in place before the run,
  # generate has nothing to warn about it and stderr is the cases' own.
  printf 'module golden/%s\n\ngo 1.23\n\nrequire %s v0.1.0\n\nreplace %s => %s/runtime-shims/go\n' \
    "$name" "$shim_module" "$shim_module" "$root" > "$out/pkg/go.mod"
  status=0
  "$gotramp" generate "${config[@]}" --header "${dir}input.h" "${inputs[@]}" --package "$name" \
    --out "$out/pkg" 2>"$out/stderr" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL $name: gotramp exited $status"; cat "$out/stderr"; failed=1; continue
  fi
  # The object's temporary path is the only run-dependent text in stderr.
  sed -i "s|$work|WORK|g" "$out/stderr"
  cp "$out/stderr" "$out/pkg/stderr"
  files=("$name.go" gotramp-report.json stderr)
  for arch in "${arches[@]}"; do
    files+=("${name}_linux_$arch.s")
    # The crash-report symbol table (absent with "crash_report": false).
    [ -f "$out/pkg/${name}_symbols_linux_$arch.go" ] && files+=("${name}_symbols_linux_$arch.go")
  done
  for file in "${files[@]}"; do
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
  for arch in "${arches[@]}"; do
    if ! (cd "$out/pkg" && GOARCH=$arch GOFLAGS=-mod=mod go vet ./... 2>&1); then
      echo "FAIL $name: go vet (GOARCH=$arch)"; failed=1
    fi
  done
  [ "$failed" = 0 ] && echo "ok   $name"
done
exit $failed
