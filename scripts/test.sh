#!/usr/bin/env bash
# The whole test suite: install, build, then GoogleTest unit tests, golden
# tests and end-to-end tests (generate, go vet, build and run real native code)
# through ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
ctest --test-dir "$root/build" --output-on-failure -j2
