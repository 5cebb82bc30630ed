#!/usr/bin/env bash
# The repository's own Go code (examples with their committed generated files,
# runtime-shims, bench) passes go vet and gofmt.
#   bash tests/go_tree.sh SOURCE_DIR
set -euo pipefail
cd "$1"
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly
go vet ./...
# Modules of their own (./... above stops at their go.mod): the bench harness,
# and the runtime module generated packages import, whose assembly differs per
# architecture.
(cd bench && go vet ./...)
(cd runtime-shims/go && go vet ./... && GOARCH=arm64 go vet ./...)
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './build*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
echo "go vet and gofmt: ok"
