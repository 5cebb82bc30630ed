//go:build tools

// Package libc only records the modules the libc-mode tests import, so that
// `go mod download` and `go mod tidy` keep them.
package libc

import (
	_ "github.com/ebitengine/purego"
	_ "github.com/klauspost/compress/zstd"
	_ "github.com/pierrec/lz4/v4"
)
