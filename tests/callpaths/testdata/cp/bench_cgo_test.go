//go:build cgo

package cp

import "github.com/gotramp/gotramp/tests/callpaths/cp/cgoref"

// BenchmarkAdd measures cgo next to gotramp's paths in a CGO_ENABLED=1 run.
func init() { cgoAdd = cgoref.Add }
